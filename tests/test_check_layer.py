"""mf.check_layer and mf.check_loss: every planted mistake fails with the right hint; right code passes every check."""

import textwrap
from pathlib import Path

import numpy as np
import pytest
from attrs import evolve
from hypothesis import given, settings
from hypothesis import strategies as st

import minifw as mf
from minifw.checking.grading import grade_file, kind_rules
from minifw.checking.layer_check import CheckSetupError

from .exercises import solution
from .exercises.corpus import CORPUS, Submission
from .exercises.mistakes import MISTAKES, DenseBiasAveraged, Mistake
from .test_docs_examples import python_blocks


def x_for(layer: mf.Layer, m: int = 5) -> mf.Array:
    rows = getattr(layer, "in_features", 3)
    x: mf.Array = np.random.default_rng(1).normal(size=(rows, m)) * (2.0 if layer.elementwise else 1.0)
    return x


A = np.array([[0.2, 0.7, 0.9, 0.4, 0.6]])
Y = np.array([[1.0, 0.0, 1.0, 1.0, 0.0]])


def report_of(mistake: Mistake) -> mf.CheckReport:
    """The strict report (advice fails too) of the mistake's class on one batch."""
    if issubclass(mistake.make, mf.Loss):
        return mf.check_loss(mistake.make(), A, Y, definition=bce, rng=0, strict=True)
    layer = mistake.make(*mistake.size, rng=0) if issubclass(mistake.make, solution.Dense) else mistake.make()
    return mf.check_layer(layer, x_for(layer), rng=0, strict=True)


def bce(a: mf.Array, y: mf.Array) -> float:
    """The slides' J, written out independently of minifw."""
    return float(-np.mean(np.sum(y * np.log(a) + (1 - y) * np.log(1 - a), axis=0)))


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_a_planted_mistake_fails_its_check_with_the_hint_that_names_it(name: str) -> None:
    mistake = MISTAKES[name]
    report = report_of(mistake)
    assert not report.ok, str(report)
    failed = {check.name: check for check in report.checks if check.passed is False}
    assert mistake.check in failed, str(report)
    assert mistake.hint in failed[mistake.check].hint, str(report)
    shown = textwrap.wrap(failed[mistake.check].hint, 88, initial_indent=" " * 10 + "-> ", subsequent_indent=" " * 13)
    assert "\n".join(shown) in str(report)
    if failed[mistake.check].tier == "advice":  # engineering advice: the math is right, and passes by default
        assert evolve(report, strict=False).ok, str(report)


def test_every_check_fails_for_some_planted_mistake() -> None:
    """A check that no mistake fails could not fail: each one of the passing reports is failed by one mistake."""
    can_fail = {
        check.name
        for m in MISTAKES.values()
        for check in report_of(m).checks
        if not check.passed and not check.hint.startswith("could not run")
    }
    passing = [
        mf.check_layer(solution.Dense(3, 4, rng=0), x_for(solution.Dense(3, 4))),
        mf.check_layer(solution.Sigmoid(), x_for(solution.Sigmoid())),
        mf.check_loss(solution.BinaryCrossEntropy(), A, Y, definition=bce),
    ]
    assert all(report.ok for report in passing)
    names = {check.name for report in passing for check in report.checks} - {"where σ saturates"}  # see below
    assert names - can_fail == set()


def test_minifws_dense_is_of_kind_dense_and_gets_the_slides_equations() -> None:
    report = mf.check_layer(mf.Dense(3, 4, rng=0), x_for(mf.Dense(3, 4)), rng=0)
    assert report.kind == "dense"
    equations = {check.name: check.equation for check in report.checks}
    assert equations["∂J/∂W"] == "∂J/∂W = dz (a_prev)ᵀ"
    assert equations["∂J/∂a_prev"] == "∂J/∂a_prev = Wᵀ dz"
    assert equations["forward computes z"] == "z = b + W a_prev"


@pytest.mark.parametrize(
    "layer",
    [
        mf.Dense(3, 4, rng=0),
        mf.Dense(3, 3, rng=0),
        mf.Dense(3, 4, rng=0, dtype=np.float32),
        mf.Sigmoid(),
        mf.Sequential(mf.Dense(3, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid()),
        mf.Dense(3, 4, rng=0, input_grad=False),
    ],
    ids=repr,
)
def test_the_librarys_layers_pass_every_check(layer: mf.Layer) -> None:
    before = [p.value.copy() for p in layer.parameters()]
    report = mf.check_layer(layer, x_for(layer), rng=0)
    assert report.ok, str(report)
    assert all(np.array_equal(p.value, v) for p, v in zip(layer.parameters(), before, strict=True))
    assert all(not p.grad.any() for p in layer.parameters())  # the checks ran on copies


def test_the_librarys_loss_passes_every_check_with_the_sigmoid_pairing_and_is_left_as_it_was() -> None:
    loss = mf.BinaryCrossEntropy()
    loss.forward(A[:, :2], Y[:, :2])
    before = loss.backward().copy()
    report = mf.check_loss(loss, A, Y, definition=bce, rng=0)
    assert report.ok, str(report)
    np.testing.assert_array_equal(loss.backward(), before)  # the checks ran on copies
    assert "with Sigmoid" in {check.name for check in report.checks}


def test_a_correct_student_solution_passes_every_check() -> None:
    for layer in (solution.Dense(3, 4, rng=0), solution.Dense(5, 2, rng=3), solution.Sigmoid()):
        report = mf.check_layer(layer, x_for(layer), rng=2)
        assert report.ok, str(report)
    report = mf.check_loss(solution.BinaryCrossEntropy(), A, Y, definition=bce, rng=2)
    assert report.ok, str(report)


def docs_namespace(page: str) -> dict[str, object]:
    namespace: dict[str, object] = {}
    for block in python_blocks(page):
        exec(block, namespace)  # the page's own code, as the docs build runs it
    return namespace


def test_the_docs_tanh_and_relu_pass_every_check() -> None:
    namespace = docs_namespace("custom-layer.md")
    for name in ("Tanh", "ReLU"):
        cls = namespace[name]
        assert isinstance(cls, type)
        assert issubclass(cls, mf.Layer)
        report = mf.check_layer(cls(), x_for(cls()), rng=0)
        assert report.ok, str(report)


@pytest.mark.parametrize("page", ["exercises.md", "custom-loss.md"])
def test_the_docs_mean_squared_error_passes_every_check_and_is_not_taken_for_cross_entropy(page: str) -> None:
    namespace = docs_namespace(page)
    cls = namespace["MeanSquaredError"]
    assert isinstance(cls, type)
    assert issubclass(cls, mf.Loss)
    definition = namespace["mean_squared_error"]
    assert callable(definition)
    report = mf.check_loss(cls(), A, Y, definition=definition)
    assert report.ok, str(report)
    assert "with Sigmoid" not in {check.name for check in report.checks}


def test_a_layer_whose_forward_is_not_written_gets_its_message_and_the_rest_skipped() -> None:
    class Todo(mf.Layer):
        def forward(self, x: mf.Array) -> mf.Array:
            raise NotImplementedError("forward: z = b + W a_prev")

        def backward(self, grad: mf.Array) -> mf.Array:
            raise NotImplementedError("backward")

    report = mf.check_layer(Todo(), np.ones((3, 2)))
    assert not report.ok
    assert "not written yet (NotImplementedError: forward: z = b + W a_prev)" in " ".join(str(report).split())
    assert [check.passed for check in report.checks] == [False] * len(report.checks)
    could_not = [check.name for check in report.checks if check.hint.startswith("could not run: needs a forward")]
    assert could_not == [
        "input unchanged",
        "∂J/∂x",
        "upstream unchanged",
        "cache follows forward",
        "result is the caller's",
    ]


def test_bad_arguments_get_clear_errors() -> None:
    with pytest.raises(mf.NotALayerError, match="check_layer takes a minifw Layer"):
        mf.check_layer(mf.BinaryCrossEntropy(), np.ones((3, 2)))  # type: ignore[arg-type]
    with pytest.raises(mf.NotALossError, match="check_loss takes a minifw Loss"):
        mf.check_loss(mf.Sigmoid(), A, Y)  # type: ignore[arg-type]
    with pytest.raises(mf.ShapeError, match="one column per example"):
        mf.check_layer(mf.Sigmoid(), np.ones(3))
    with pytest.raises(mf.ShapeError):
        mf.check_loss(mf.BinaryCrossEntropy(), A, Y.T)


def test_one_example_is_refused_since_a_sum_and_a_mean_over_one_column_agree() -> None:
    """At m = 1 an averaged ∂J/∂b equals the right one: the checker would pass a wrong layer, so it refuses."""
    with pytest.raises(mf.ShapeError, match=r"m = 1 example; the checks need m >= 2"):
        mf.check_layer(mf.Dense(3, 4, rng=0), np.ones((3, 1)))
    with pytest.raises(mf.ShapeError, match=r"m >= 2"):
        mf.check_loss(mf.BinaryCrossEntropy(), A[:, :1], Y[:, :1])


class ScaledGradient(solution.Dense):
    """∂J/∂W times a factor: any factor but 1 is a wrong layer."""

    factor = 1.0

    def backward(self, grad: mf.Array) -> mf.Array:
        result = super().backward(grad)
        self.W.grad *= self.factor
        return result


@settings(max_examples=40)
@given(
    d_in=st.integers(1, 5),
    d_out=st.integers(1, 5),
    m=st.integers(2, 6),
    factor=st.floats(-3.0, 3.0).filter(lambda c: abs(c - 1.0) > 1e-3),
    seed=st.integers(0, 2**16),
)
def test_any_shape_passes_the_librarys_dense_and_fails_a_scaled_dW(  # noqa: N802  # the slide's names
    d_in: int, d_out: int, m: int, factor: float, seed: int
) -> None:
    x = np.random.default_rng(seed).normal(size=(d_in, m))
    assert mf.check_layer(mf.Dense(d_in, d_out, rng=seed), x, rng=seed).ok
    wrong = ScaledGradient(d_in, d_out, rng=seed)
    wrong.factor = factor
    report = mf.check_layer(wrong, x, rng=seed)
    assert [check.name for check in report.failed] == ["∂J/∂W"], str(report)
    if factor == -1.0:
        assert report.failed[0].hint.startswith("∂J/∂W has the wrong sign")


class Scale(mf.Layer):
    """A user's layer with a parameter of its own name: a = s ⊙ x, s of shape (d, 1)."""

    def __init__(self, d: int) -> None:
        self.s = mf.Parameter(np.linspace(0.5, 1.5, d).reshape(d, 1), name="s")
        self.x: mf.Array | None = None

    def forward(self, x: mf.Array) -> mf.Array:
        self.x = x
        a: mf.Array = self.s.value * x
        return a

    def backward(self, grad: mf.Array) -> mf.Array:
        if self.x is None:
            raise mf.StateError("Scale.backward() was called before forward(). Fix: call forward(x) first.")
        self.s.grad[...] = np.sum(grad * self.x, axis=1, keepdims=True)
        dx: mf.Array = grad * self.s.value
        return dx

    def parameters(self) -> list[mf.Parameter]:
        return [self.s]


def test_a_layer_of_ones_own_with_a_parameter_gets_every_check_by_its_parameters_name() -> None:
    report = mf.check_layer(Scale(3), x_for(mf.Sigmoid()), rng=0)
    assert report.ok, str(report)
    assert [check.name for check in report.checks if "∂J/∂" in check.name] == ["∂J/∂s", "∂J/∂x"]
    assert "set, not added up" in {check.name for check in report.checks}


def test_a_definition_that_raises_is_a_failed_check_not_a_crash() -> None:
    def broken(a: mf.Array, y: mf.Array) -> float:
        raise ZeroDivisionError("oops")

    report = mf.check_loss(solution.BinaryCrossEntropy(), A, Y, definition=broken)
    failed = {check.name: check.hint for check in report.failed}
    assert list(failed) == ["J at three points"]
    assert failed["J at three points"] == "the definition itself raised ZeroDivisionError: oops."


def test_without_a_kind_no_slide_equation_is_checked_and_the_first_line_says_so() -> None:
    """A hard sigmoid of one's own is another function: no slide equation, so no false alarm."""

    class HardSigmoid(mf.Layer):
        elementwise = True

        def __init__(self) -> None:
            self.z: mf.Array | None = None

        def forward(self, x: mf.Array) -> mf.Array:
            self.z = x
            a: mf.Array = np.clip(0.2 * x + 0.5, 0.0, 1.0)
            return a

        def backward(self, grad: mf.Array) -> mf.Array:
            if self.z is None:
                raise mf.StateError("HardSigmoid.backward() before forward(). Fix: call forward(z) first.")
            dz: mf.Array = grad * np.where(np.abs(self.z) < 2.5, 0.2, 0.0)
            return dz

    report = mf.check_layer(HardSigmoid(), x_for(mf.Sigmoid()) / 3, rng=0)
    assert report.ok, str(report)
    assert report.kind is None
    assert "forward computes a" not in {check.name for check in report.checks}
    assert str(report).startswith("Only forward/backward consistency was checked, not the slides' equations")
    sigmoid_report = mf.check_layer(solution.Sigmoid(), x_for(mf.Sigmoid()), rng=0)  # it declares kind = "sigmoid"
    assert "forward computes a" in {check.name for check in sigmoid_report.checks}
    assert str(sigmoid_report).startswith("check_layer: Sigmoid() as the slides' Sigmoid (a = σ(z)) on z")
    as_sigmoid = mf.check_layer(HardSigmoid(), x_for(mf.Sigmoid()) / 3, kind="sigmoid", rng=0)
    assert [check.name for check in as_sigmoid.failed] == ["forward computes a"]


def test_a_layer_that_already_ran_forward_still_passes_backward_before_forward() -> None:
    """That check runs on a new layer of the same class (a Dense made with its W's sizes), not on a copy."""
    for layer in (mf.Dense(3, 4, rng=0), mf.Sigmoid(), solution.Dense(3, 2, rng=0)):
        x = x_for(layer)
        layer.forward(x)
        report = mf.check_layer(layer, x, rng=0)
        assert report.ok, str(report)


def test_a_class_that_cannot_be_made_anew_is_checked_on_a_copy_and_the_hint_says_so() -> None:
    scale = Scale(3)  # Scale(d) takes one argument: no new one can be made
    scale.forward(np.ones((3, 2)))
    report = mf.check_layer(scale, x_for(mf.Sigmoid()), rng=0, strict=True)
    assert [check.name for check in report.failed] == ["backward before forward"]
    assert "(or the one given had run forward already: pass one that has not)" in report.failed[0].hint
    assert mf.check_layer(Scale(3), x_for(mf.Sigmoid()), rng=0, strict=True).ok
    assert evolve(report, strict=False).ok  # advice: it fails only with strict=True


@pytest.mark.parametrize("submission", CORPUS, ids=[s.name for s in CORPUS])
def test_a_students_submission_gets_the_verdict_a_teacher_expects(submission: Submission, tmp_path: Path) -> None:
    """No correct submission fails by default, no wrong one passes, and a wrong one fails exactly its slip's checks."""
    path = tmp_path / f"{submission.name}.py"
    path.write_text(submission.source, "utf-8")
    graded = grade_file(str(path), submission.kind, strict=False)
    assert [s.status for s in graded] == [submission.expected], [str(s.report or s.message) for s in graded]
    report = graded[0].report
    if report is None:
        return
    assert {check.name for check in report.failed} == set(submission.failing), str(report)
    assert {check.name for check in report.advice} == set(submission.advice), str(report)
    assert report.kind is not None  # declared by the class, or given as --as
    strict = grade_file(str(path), submission.kind, strict=True)[0]
    assert strict.status == ("pass" if submission.expected == "pass" and not submission.advice else "fail")


def test_every_submission_of_a_kind_is_graded_on_the_same_checks(tmp_path: Path) -> None:
    """A check that cannot run fails and says why, so that two submissions' scores compare."""
    names: dict[str, set[tuple[str, ...]]] = {}
    for submission in CORPUS:
        path = tmp_path / f"{submission.name}.py"
        path.write_text(submission.source, "utf-8")
        for graded in grade_file(str(path), submission.kind, strict=False):
            if graded.kind is not None:
                names.setdefault(graded.kind, set()).add(tuple(graded.check_names()))
    assert sorted(names) == ["bce", "dense", "sigmoid"]
    assert all(len(seen) == 1 for seen in names.values()), names
    for kind, seen in names.items():  # a file that cannot be graded fails the same checks
        assert seen == {tuple(check.name for check in kind_rules(kind))}, kind


def test_a_class_is_checked_at_a_square_W_at_d_out_1_and_at_rectangular_Ws_with_m_2_and_7() -> None:  # noqa: N802
    report = mf.check_layer(solution.Dense, rng=0)
    assert report.ok, str(report)
    shapes = report.subject.split(" shapes: ")[1].split("; ")
    Ws = [tuple(int(n) for n in shape[3:].split(")")[0].split(", ")) for shape in shapes]
    ms = {int(shape.split("m = ")[1]) for shape in shapes}
    assert any(d_out == d_in for d_out, d_in in Ws)
    assert any(d_out == 1 for d_out, _ in Ws)
    assert any(d_out > d_in for d_out, d_in in Ws)
    assert any(d_out < d_in for d_out, d_in in Ws)
    assert ms >= {2, 7}


def test_a_failure_at_one_shape_names_the_shape_in_its_hint() -> None:
    """Transposed back only when the shape does not fit: right at rectangular Ws, wrong at the square one."""

    class TransposeBack(solution.Dense):
        def backward(self, grad: mf.Array) -> mf.Array:
            result = super().backward(grad)
            self.W.grad[...] = self.W.grad.T if self.W.grad.shape[0] == self.W.grad.shape[1] else self.W.grad
            return result

    assert mf.check_layer(TransposeBack(3, 4, rng=0), x_for(TransposeBack(3, 4)), rng=0).ok  # one shape hides it
    report = mf.check_layer(TransposeBack, rng=0)
    assert [check.name for check in report.failed] == ["∂J/∂W"]
    assert report.failed[0].hint.startswith("at W (3, 3), m = 7: ∂J/∂W is the transpose of the right one")


def test_the_slide_equations_hold_whatever_the_names_and_W_and_b_are_found_by_shape() -> None:  # noqa: N802
    class Linear(mf.Layer):
        def __init__(self, n_in: int, n_out: int) -> None:
            self.weights = mf.Parameter(np.random.default_rng(0).normal(size=(n_out, n_in)), name="weights")
            self.bias = mf.Parameter(np.ones((n_out, 1)), name="bias")
            self.x: mf.Array = np.zeros((n_in, 1))

        def forward(self, x: mf.Array) -> mf.Array:
            self.x = x
            z: mf.Array = self.weights.value @ x  # the slip: b left out, and backward to match
            return z

        def backward(self, grad: mf.Array) -> mf.Array:
            self.weights.grad[...] = grad @ self.x.T
            dx: mf.Array = self.weights.value.T @ grad
            return dx

        def parameters(self) -> list[mf.Parameter]:
            return [self.weights, self.bias]

    consistent = mf.check_layer(Linear, rng=0)
    assert consistent.ok  # consistent, and the report's first line says what that means
    assert consistent.kind is None
    report = mf.check_layer(Linear, kind="dense", rng=0)
    assert {check.name for check in report.failed} == {"forward computes z"}  # its ∂J/∂b = 0 is consistent
    hints = {check.name: check.hint for check in report.failed}
    assert "z misses b" in hints["forward computes z"]
    equations = {check.name: check.equation for check in report.checks}
    assert equations["∂J/∂W"] == "∂J/∂W = dz (a_prev)ᵀ"


def test_gradients_that_never_reach_parameters_fail_with_a_hint_about_gradient_descent() -> None:
    class PlainDense(mf.Layer):
        kind = "dense"

        def __init__(self, d_in: int, d_out: int) -> None:
            self.W = np.random.default_rng(0).normal(size=(d_out, d_in))
            self.b = np.zeros((d_out, 1))
            self.a_prev: mf.Array = np.zeros((d_in, 1))

        def forward(self, x: mf.Array) -> mf.Array:
            self.a_prev = x
            z: mf.Array = self.W @ x + self.b
            return z

        def backward(self, grad: mf.Array) -> mf.Array:
            self.dW = grad @ self.a_prev.T
            self.db = grad.sum(axis=1, keepdims=True)
            dx: mf.Array = self.W.T @ grad
            return dx

    report = mf.check_layer(PlainDense, rng=0)
    assert [check.name for check in report.failed] == ["gradients reach parameters()"]
    hint = report.failed[0].hint
    assert "W is a plain array (self.W), not a mf.Parameter that parameters() returns" in hint
    assert "GradientDescent" in hint
    assert "could not train this layer" in hint


def test_a_check_on_its_own_copies_a_sigmoid_that_overwrites_its_input_fails_only_that() -> None:
    class InPlace(solution.Sigmoid):
        def forward(self, x: mf.Array) -> mf.Array:
            np.negative(x, out=x)
            np.exp(x, out=x)
            x += 1.0
            np.reciprocal(x, out=x)
            self.a = x
            return x

    report = mf.check_layer(InPlace, rng=0)
    assert [check.name for check in report.failed] == ["input unchanged"], str(report)


def test_engineering_advice_is_shown_and_fails_only_with_strict() -> None:
    class NoGuard(solution.Dense):
        def backward(self, grad: mf.Array) -> mf.Array:
            self.W.grad[...] = grad @ self.a_prev.T  # type: ignore[union-attr]  # no error before forward
            self.b.grad[...] = grad.sum(axis=1, keepdims=True)
            dx: mf.Array = self.W.value.T @ grad
            return dx

    report = mf.check_layer(NoGuard, rng=0)
    assert report.ok
    assert [check.name for check in report.advice] == ["backward before forward"]
    assert "  advice  backward before forward" in str(report)
    assert str(report).endswith("PASS: 10 of 10 checks passed; 1 piece of advice (strict=True fails on it)")
    strict = mf.check_layer(NoGuard, rng=0, strict=True)
    assert not strict.ok
    assert [check.name for check in strict.failed] == ["backward before forward"]
    assert strict.verdict == "FAIL: 12 of 13 checks passed"


def test_a_report_shows_its_verdict_first_in_jupyter_and_its_text_in_ipython() -> None:
    report = mf.check_layer(DenseBiasAveraged, rng=0)
    page = report._repr_html_()
    assert page.index("FAIL: 9 of 10 checks passed") < page.index("<table>")
    assert 'style="background:#ffebe9"><td>FAIL</td><td>∂J/∂b</td>' in page
    assert "the mean of dz over the m columns" in page
    assert page.count("#ffebe9") == 2  # the failed check's row and its hint's row

    class Printer:
        def __init__(self) -> None:
            self.shown = ""

        def text(self, text: str) -> None:
            self.shown += text

    printer = Printer()
    report._repr_pretty_(printer, cycle=False)
    assert printer.shown == str(report)


def test_minifws_own_bce_passes_near_saturation() -> None:
    a, y = np.array([[1 - 1e-13, 1e-13, 0.3, 1 - 1e-13]]), np.array([[1.0, 0.0, 1.0, 0.0]])
    report = mf.check_loss(mf.BinaryCrossEntropy(), a, y, rng=0, strict=True)
    assert report.ok, str(report)
    assert report.kind == "bce"
    assert mf.check_loss(mf.BinaryCrossEntropy, rng=0, strict=True).ok

    class WithoutKind(solution.BinaryCrossEntropy):
        kind = ""

    without_kind = mf.check_loss(WithoutKind(), a, y, rng=0)  # recognised as BCE from its numbers
    assert without_kind.ok, str(without_kind)
    assert without_kind.kind is None


def test_a_naive_bce_passes_the_math_with_advice_that_J_is_infinite_where_sigma_saturates() -> None:  # noqa: N802
    report = mf.check_loss(solution.BinaryCrossEntropy, rng=0)
    assert report.ok, str(report)
    assert [check.name for check in report.advice] == ["where σ saturates"]
    hint = report.advice[0].hint
    assert "J = inf where σ saturates: at z^[2] = 40, a^[2] = σ(z^[2]) rounds to 1.0" in hint
    assert not mf.check_loss(solution.BinaryCrossEntropy, rng=0, strict=True).ok


def test_what_cannot_be_checked_gets_a_clear_error() -> None:
    with pytest.raises(CheckSetupError, match="kind='relu' is not one of 'dense', 'sigmoid'"):
        mf.check_layer(mf.Sigmoid(), np.ones((3, 2)), kind="relu")
    with pytest.raises(CheckSetupError, match="needs x"):
        mf.check_layer(mf.Sigmoid())
    with pytest.raises(CheckSetupError, match="x is for a layer instance"):
        mf.check_layer(mf.Sigmoid, np.ones((3, 2)))
    with pytest.raises(CheckSetupError, match="cannot make a Scale to check"):
        mf.check_layer(Scale)
    with pytest.raises(CheckSetupError, match="kind='dense' is not one of 'bce'"):
        mf.check_loss(mf.BinaryCrossEntropy(), A, Y, kind="dense")
    with pytest.raises(mf.ValueRangeError, match="strictly inside"):
        mf.check_loss(mf.BinaryCrossEntropy(), np.array([[1.0, 0.5]]), np.array([[1.0, 0.0]]), kind="bce")
