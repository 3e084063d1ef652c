"""check_layer: a layer's forward and backward held to the slides, with the slip named when one is off."""

import copy
from collections.abc import Callable
from typing import Any

import numpy as np
from attrs import define, evolve

from ..array import Array
from ..errors import MinifwError, NotALayerError, ShapeError, ValueRangeError
from ..io.architecture import named_parameters
from ..layers.dense import Dense
from ..layers.layer import Layer
from ..layers.sigmoid import Sigmoid, sigmoid
from ..losses.binary_cross_entropy import BinaryCrossEntropy
from ..number_checks import check_finite
from ..training.gradient_check import DEFAULTS, central_differences
from ..validation import check_batch, check_same_shape, generator
from .instances import new_instance, takes_sizes
from .locate import NotFoundError, Path, arrays_in, describe, find_parameter, listed, resolve
from .report import KIND_NAMES, KINDS, Check, CheckReport, Tier
from .slips import (
    NotAnArrayError,
    Slip,
    Tolerance,
    backward_before_forward,
    find_slip,
    guarded,
    raised,
    scale_slips,
    shapes_in,
)

LAYER_KINDS = ("dense", "sigmoid")
DENSE_SHAPES = [(3, 3, 7), (4, 1, 2), (2, 5, 7), (5, 3, 2)]
"""(d_{l-1}, d_l, m) a Dense class is checked at: a square W, d_l = 1, and rectangular Ws, with m = 7 and 2."""
ELEMENTWISE_SHAPES = [(3, 7), (1, 2), (4, 2)]
"""(d, m) a Sigmoid (or any layer made without arguments) is checked at."""
ADVICE = ("upstream unchanged", "backward before forward", "result is the caller's")
"""The checks that are engineering advice: they fail the verdict only with strict=True.

The math is right and training works without them: the upstream gradient is not read again by
Sequential or by the loss; forward's x, which may be the training set, is (``input unchanged``).
"""
PARAMETERS_RULE = "forward and backward leave θ as it was (GradientDescent updates it)"
"""The rule of the check "parameters unchanged"."""


class CheckSetupError(MinifwError, TypeError):
    """check_layer or check_loss cannot run at all: a kind it does not know, a class it cannot make."""


@define(frozen=True)
class Names:
    """The slide's names for a layer's input, output and gradients, and its equations."""

    kind: str  # "dense", "sigmoid" or "layer"
    x: str
    out: str
    up: str  # ∂J/∂(output)
    forward: str
    gradients: dict[str, str]  # parameter name (or "x") -> equation

    def gradient(self, name: str) -> str:
        """``∂J/∂W``, ``∂J/∂a_prev``: the gradient's name."""
        return f"∂J/∂{self.x if name == 'x' else name}"


def kind_of(obj: object, kind: str | None, kinds: tuple[str, ...]) -> str | None:
    """The kind asked for, else the class's own ``kind`` attribute (as the exercises declare), else minifw's own.

    Raises CheckSetupError for a kind that is not one of ``kinds``.
    """
    if kind is not None:
        if kind not in kinds:
            known = ", ".join(repr(k) for k in kinds)
            raise CheckSetupError(f"kind={kind!r} is not one of {known}. Fix: pass one of them, or no kind")
        return kind
    declared = getattr(obj, "kind", None)
    if isinstance(declared, str) and declared in kinds:
        return declared
    builtin: dict[str, type] = {"dense": Dense, "sigmoid": Sigmoid, "bce": BinaryCrossEntropy}
    cls = obj if isinstance(obj, type) else type(obj)
    return next((k for k, base in builtin.items() if k in kinds and issubclass(cls, base)), None)


def slide_names(kind: str | None, gradient_keys: list[str]) -> Names:
    """The slide's names for a layer of ``kind``; for no kind, the parameters' own names."""
    if kind == "dense":
        return Names(
            "dense",
            "a_prev",
            "z",
            "dz",
            KINDS["dense"],
            {"W": "∂J/∂W = dz (a_prev)ᵀ", "b": "∂J/∂b = dz summed over the m columns", "x": "∂J/∂a_prev = Wᵀ dz"},
        )
    if kind == "sigmoid":
        return Names("sigmoid", "z", "a", "da", KINDS["sigmoid"], {"x": "∂J/∂z = da ⊙ a ⊙ (1 − a)"})
    gradients = {name: f"∂J/∂{name} = derivative of Σ dout ⊙ forward(x)" for name in gradient_keys}
    gradients["x"] = "∂J/∂x = derivative of Σ dout ⊙ forward(x)"
    return Names("layer", "x", "out", "dout", "forward(x)", gradients)


def run_backward(layer: Layer, grad: Array) -> Array:
    """``layer.backward(grad)`` as a float64 array (the copies have ``input_grad`` on, so it is ∂J/∂x itself)."""
    result = layer.backward(grad)
    if not isinstance(result, np.ndarray):
        missing = " (is its return statement missing?)" if result is None else ""
        message = f"backward returned {type(result).__name__}{missing}; it must return ∂J/∂(input), shaped like x."
        raise NotAnArrayError(message)
    return np.array(result, dtype=np.float64)


def backward_again(layer: Layer, x: Array, grad: Array) -> Array:
    """A second ``layer.backward(grad)`` after one ``forward(x)``, as a float64 array.

    A layer may release its cache when ``backward`` is done, as minifw's own layers do (as PyTorch
    frees what it saved): a second ``backward`` may then raise, and the layer gets its
    ``forward(x)`` again first.
    """
    try:
        return run_backward(layer, grad.copy())
    except Exception:
        pass
    layer.forward(x.copy())
    return run_backward(layer, grad.copy())


def gradient_names(layer: Layer) -> list[str]:
    """The parameters' own names where they are distinct (``W``, ``b``), else as a model file names them (``W1``,
    ``b1``, ``W1_2``...)."""
    names = [p.name for p in layer.parameters()]
    return names if all(names) and len(set(names)) == len(names) else list(named_parameters([layer]))


def choose(candidates: list[tuple[Path, Array]], right: Array, tolerance: Tolerance) -> tuple[Path, Array] | None:
    """The candidate that holds the right gradient; else the parameter's own grad; else the first written (not 0)."""
    for path, array in candidates:
        if tolerance.close(array, right):
            return path, array
    if candidates and candidates[0][0][-1][0] == "g":
        return candidates[0]
    written = [(path, array) for path, array in candidates if array.any()]
    return (written or candidates)[0] if candidates else None


class LayerChecks:
    """The checks of :func:`check_layer` at one shape, each on its own copy of the layer, so that none disturbs another.

    ``make``, when given, makes a new layer of the same ``sizes`` (for backward before forward).
    """

    def __init__(
        self,
        layer: Layer,
        x: Array,
        rng: np.random.Generator,
        kind: str | None,
        make: Callable[[], Layer] | None = None,
        sizes: tuple[int, int] | None = None,
    ) -> None:
        self.template = copy.deepcopy(layer)
        self.x, self.m, self.rng, self.kind, self.make, self.sizes = x, x.shape[1], rng, kind, make, sizes
        self.missing = ""  # why a slide parameter was not found
        self.blocked = ""  # why later checks could not run
        self.sources = self.find_sources()
        for path in self.sources.values():  # b = 0 at initialisation would hide a missing or misplaced b
            value = resolve(self.template, path)
            if not value.any() and value.flags.writeable:
                value[...] = rng.normal(size=value.shape)
        self.names = slide_names(kind, list(self.sources))
        self.grad_paths: dict[str, Path] = {}
        self.checks: list[Check] = []
        self.out: Array | None = None
        self.tolerance = Tolerance(DEFAULTS["float64"][1], DEFAULTS["float64"][2])
        self.step = DEFAULTS["float64"][0]

    def find_sources(self) -> dict[str, Path]:
        """Where the parameters are: a Dense's W and b by their shapes, whatever their names; else parameters()."""
        if self.kind != "dense":
            try:
                names = gradient_names(self.template)
            except Exception:  # the checks that call parameters() report it
                names = []
            return {name: (("p", i), ("v", None)) for i, name in enumerate(names)}
        d_in, d_out = self.x.shape[0], self.out_features()
        sources: dict[str, Path] = {}
        try:
            sources["W"] = find_parameter(self.template, self.x, [(d_out, d_in)], [], self.rng)
            W = resolve(self.template, sources["W"])
            sources["b"] = find_parameter(self.template, self.x, [(d_out, 1), (d_out,)], [W], self.rng)
        except NotFoundError as error:
            name = "b" if "W" in sources else "W"
            self.missing = (
                f"the layer holds no {name} of shape {error}, neither in parameters() nor in an attribute "
                f"(W is (d_l, d_{{l-1}}) = ({d_out}, {d_in}), b is (d_l, 1))"
            )
            transposed = [path for path, a in arrays_in(self.template) if a.shape == (d_in, d_out) != (d_out, d_in)]
            if name == "W" and transposed:
                self.missing += f"; {describe(transposed[0])} has the transposed shape {(d_in, d_out)}"
        return sources

    def out_features(self) -> int:
        """d_l: the sizes the layer was made with, else the rows of its output, else those of a W-shaped array."""
        return self.sizes[1] if self.sizes is not None else self.rows_of_output()

    def rows_of_output(self) -> int:
        try:
            out = self.fresh().forward(self.x.copy())
            if isinstance(out, np.ndarray) and out.ndim == 2 and out.shape[1] == self.m:
                return int(out.shape[0])
        except Exception:  # the forward checks report it
            pass
        shapes = [a.shape for _, a in arrays_in(self.template) if a.ndim == 2 and a.shape[1] == self.x.shape[0]]
        return int(shapes[0][0]) if shapes else 1

    def fresh(self) -> Layer:
        """A new copy of the layer as given (never forwarded by these checks), asked for ∂J/∂x (``input_grad``)."""
        layer = copy.deepcopy(self.template)
        layer.input_grad = True
        return layer

    def add(self, name: str, equation: str, passed: bool, max_error: float | None = None, hint: str = "") -> None:
        self.checks.append(Check(name, equation, passed, max_error, hint))

    def dtype(self) -> np.dtype[np.floating]:
        """The dtype forward must return: that of the (first) parameter, else float64."""
        arrays = [resolve(self.template, path) for path in self.sources.values()]
        return arrays[0].dtype if arrays else np.dtype(np.float64)

    def forward_result(self) -> bool:
        """forward returns a float (d, m) array of the promised shape and dtype, and leaves x unchanged."""
        names, x = self.names, self.x.copy()
        layer = self.fresh()
        dtype = self.dtype()
        rows = self.promised_rows(layer)
        promised = f"({rows if rows is not None else 'd'}, {self.m}) {dtype}"
        name = f"forward returns {names.out}"
        try:
            out = layer.forward(x)
        except Exception as error:
            self.add(name, promised, False, hint=raised("forward", error))
            return False
        problem = ""
        if not isinstance(out, np.ndarray) or out.ndim != 2:
            what = f"an array of shape {out.shape}" if isinstance(out, np.ndarray) else type(out).__name__
            missing = " (is its return statement missing?)" if out is None else ""
            problem = f"forward returned {what}{missing}, not a 2-D (d, m) array with one column per example."
        elif out.shape[1] != self.m or (rows is not None and out.shape[0] != rows):
            problem = f"forward returned shape {out.shape}; expected {promised.split(' ')[0]}, one column per example."
            if out.shape == (self.m, rows):
                problem += f" It is transposed: {names.forward} keeps the examples in columns."
        elif out.dtype != dtype:
            problem = f"forward returned dtype {out.dtype}; expected {dtype}, the dtype of the parameters and of x."
        self.add(name, promised, not problem, hint=problem)
        unchanged = bool(np.array_equal(x, self.x, equal_nan=True))
        hint = "" if unchanged else f"forward changed {names.x} in place. Compute into a new array."
        self.add("input unchanged", f"forward leaves {names.x} as it was", unchanged, hint=hint)
        if problem:
            return False
        self.out = np.array(out, dtype=np.float64)
        self.step, rtol, atol = DEFAULTS.get(out.dtype.name, DEFAULTS["float32"])  # float32: a larger step
        self.tolerance = Tolerance(rtol, atol)
        self.forward_equation(layer, out)
        return True

    def promised_rows(self, layer: Layer) -> int | None:
        """The number of rows forward promises: x's for a Sigmoid or elementwise layer, W's for a Dense, else None."""
        if self.kind == "sigmoid" or (self.kind is None and layer.elementwise):
            return int(self.x.shape[0])
        if self.kind == "dense" and "W" in self.sources:
            return int(resolve(self.template, self.sources["W"]).shape[0])
        out_features = getattr(layer, "out_features", None)
        return out_features if isinstance(out_features, int) else None

    def forward_equation(self, layer: Layer, out: Array) -> None:
        """For a layer of a kind, forward's values against the slide's equation."""
        x, names = self.x, self.names
        if self.kind == "dense":
            if "b" not in self.sources:
                return  # could not run: the parameters are missing
            W = resolve(layer, self.sources["W"]).astype(np.float64)
            b = resolve(layer, self.sources["b"]).astype(np.float64).reshape(-1, 1)
            right: Array = b + W @ x
            slips = [
                Slip(W @ x, "z misses b: the slide's z = b + W a_prev adds b to every column."),
                Slip(-right, "z has the wrong sign: z = b + W a_prev."),
                Slip(b - W @ x, "W a_prev has the wrong sign: z = b + W a_prev."),
            ]
            if W.shape[0] == W.shape[1]:
                slips.append(Slip(b + W.T @ x, "z uses Wᵀ a_prev; the slide's is z = b + W a_prev."))
        elif self.kind == "sigmoid":
            right = sigmoid(x)
            slips = [
                Slip(sigmoid(-x), "a is σ(−z) = 1 / (1 + e^z): the slide's σ(z) = 1 / (1 + e^(−z)) has e^(−z)."),
            ]
        else:
            return
        eps = float(np.finfo(out.dtype).eps)
        tolerance = Tolerance(rtol=1e4 * eps, atol=1e4 * eps)  # float64: 2e-12; the same equation, other rounding
        ok = tolerance.close(out, right)
        hint = (
            ""
            if ok
            else find_slip(np.asarray(out), right, slips, tolerance)
            or (f"{names.out} disagrees with {names.forward} {tolerance.worst(np.asarray(out), right)}.")
        )
        error = tolerance.error(np.asarray(out, dtype=np.float64), right)
        self.add(f"forward computes {names.out}", names.forward, ok, error, hint)

    def backward_first(self) -> None:
        """backward on a layer that never ran forward raises a clear error (a RuntimeError naming forward)."""
        grad = self.rng.normal(size=self.out.shape if self.out is not None else self.x.shape)
        layer, given = self.never_forwarded()
        self.checks.append(backward_before_forward(lambda: run_backward(layer, grad), "x", given))

    def never_forwarded(self) -> tuple[Layer, bool]:
        """A new layer of the sizes checked (made as given, or of the class with W's sizes); else a copy: True."""
        try:
            if self.make is not None:
                layer = self.make()
            else:
                W = resolve(self.template, self.sources["W"]) if "W" in self.sources else np.zeros((0, 0))
                layer = new_instance(type(self.template), (W.shape[1], W.shape[0]))
        except Exception:  # a constructor that needs more: the one given, which should not have run forward
            return self.fresh(), True
        layer.input_grad = True
        return layer, False

    def numeric(self, upstream: Array) -> dict[str, Array]:
        """ĝ for every parameter and for x: central differences of J = Σ upstream ⊙ forward(x), each on a copy of x."""
        layer, x = self.fresh(), self.x.copy()

        def cost() -> float:
            return float(np.sum(upstream * np.asarray(layer.forward(x.copy()), dtype=np.float64)))

        result = {
            name: central_differences(resolve(layer, path), cost, self.step) for name, path in self.sources.items()
        }
        result["x"] = central_differences(x, cost, self.step)
        return result

    def candidates(self, layer: Layer, name: str) -> list[tuple[Path, Array]]:
        """Where backward may have put ∂J/∂(name): the parameter's grad, then (for a Dense) any array of its shape.

        Arrays of the transposed shape are tried only when none has the shape.
        """
        path = self.sources[name]
        value = resolve(layer, path)
        own = {id(resolve(layer, p)) for p in self.sources.values()} | {id(self.x)}
        own |= {id(resolve(layer, (*p[:-1], ("g", None)))) for p in self.sources.values() if p[-1][0] == "v"}
        found: list[tuple[Path, Array]] = []
        if path[-1][0] == "v":
            grad_path = (*path[:-1], ("g", None))
            found.append((grad_path, resolve(layer, grad_path)))
        if self.kind != "dense":
            return found
        seen = own | {id(array) for _, array in found}
        for shape in (value.shape, value.shape[::-1]):
            for other, array in arrays_in(layer):
                if array.shape == shape and id(array) not in seen:
                    seen.add(id(array))
                    found.append((other, array))
            if found:
                break
        return found

    def gradients(self, layer: Layer) -> dict[str, Array]:
        """Each parameter's gradient, copied, from where the gradient check found it."""
        result: dict[str, Array] = {}
        for name, path in self.sources.items():
            grad_path = self.grad_paths.get(name)
            if grad_path is None and path[-1][0] == "v":
                grad_path = (*path[:-1], ("g", None))
            if grad_path is not None:
                result[name] = resolve(layer, grad_path).astype(np.float64)
        return result

    def slips(self, name: str, right: Array, upstream: Array, layer: Layer) -> list[Slip]:
        """The slips to try for gradient ``name`` (a parameter or ``x``), slide-specific ones first."""
        names, x, m = self.names, self.x, self.m
        gradient, equation = names.gradient(name), names.gradients[name]
        slips: list[Slip] = []
        if self.kind == "dense" and name == "b":
            slips += [
                Slip(
                    right / m,
                    f"∂J/∂b is the mean of dz over the m columns, 1/m = 1/{m} of the right value. The 1/m of J is "
                    "already in dz (the loss's ∂J/∂a carries it): sum, ∂J/∂b = dz.sum(axis=1, keepdims=True).",
                ),
                Slip(upstream[:, :1], "∂J/∂b is dz's first column only: sum dz over all m columns."),
                Slip(
                    np.full_like(right, upstream.sum()),
                    "each entry of ∂J/∂b is the sum of all of dz: sum over the columns only, one sum per neuron: "
                    "dz.sum(axis=1, keepdims=True).",
                ),
            ]
        if self.kind == "dense" and name == "x" and "W" in self.sources:
            W = resolve(layer, self.sources["W"]).astype(np.float64)
            if W.shape[0] == W.shape[1]:
                slips.append(Slip(W @ upstream, "∂J/∂a_prev is W dz; the slide's is Wᵀ dz ((W^[2])ᵀ on the slides)."))
        if self.kind == "dense" and name == "W" and right.shape[0] == right.shape[1]:
            slips.append(
                Slip(
                    right.T,
                    "∂J/∂W is the transpose of the right one: a_prev dzᵀ. The slide's ∂J/∂W = dz (a_prev)ᵀ has "
                    "the shape of W, (d_l, d_{l-1}).",
                )
            )
        if self.kind == "sigmoid":
            a = sigmoid(x)
            slips += [
                Slip(upstream, "∂J/∂z is da unchanged: the slides' D is missing. ∂J/∂z = da ⊙ a ⊙ (1 − a)."),
                Slip(
                    upstream * x * (1.0 - x),
                    "∂J/∂z uses z ⊙ (1 − z): σ' computed from z instead of a. The slides' D = diag(a(1 − a)) "
                    "is written in a = σ(z), the output forward cached: ∂J/∂z = da ⊙ a ⊙ (1 − a).",
                ),
                Slip(a * (1.0 - a), "∂J/∂z is D alone, a ⊙ (1 − a): multiply it by da, ∂J/∂z = da ⊙ a ⊙ (1 − a)."),
            ]
        if self.kind is None and name == "x" and layer.elementwise:
            slips.append(Slip(upstream, "backward returned dout unchanged: multiply it by the derivative of forward."))
        return slips + scale_slips(right, gradient, equation, m, names.up)

    def gradient_checks(self) -> bool:
        """∂J/∂x and every ∂J/∂θ from one backward against central differences; True when backward ran."""
        if self.out is None:  # only called after a forward that worked
            return False
        upstream = self.rng.normal(size=self.out.shape)
        numeric = self.numeric(upstream)
        layer, given = self.fresh(), upstream.copy()
        before = {name: resolve(layer, path).copy() for name, path in self.sources.items()}
        layer.forward(self.x.copy())
        try:
            dx: Array | None = run_backward(layer, given)
            failure: BaseException | None = None
        except Exception as error:
            dx, failure = None, error
        self.parameters_check(layer, before)
        analytic: dict[str, Array] = {}
        for name in self.sources:
            chosen = choose(self.candidates(layer, name), numeric[name], self.tolerance)
            if chosen is not None:
                self.grad_paths[name] = chosen[0]
                analytic[name] = np.array(chosen[1], dtype=np.float64)
        if dx is not None:
            analytic["x"] = dx
        for name, right in numeric.items():
            self.gradient_check(name, right, analytic, numeric, failure, upstream, layer)
        if self.kind == "dense" and not self.missing and (failure is None or isinstance(failure, NotAnArrayError)):
            self.reach_check()  # a backward that returned no array may still have set the gradients
        changed = not np.array_equal(given, upstream)
        self.add(
            "upstream unchanged",
            f"backward leaves {self.names.up} as it was",
            not changed,
            hint=f"backward changed {self.names.up} in place. Compute into a new array." if changed else "",
        )
        if failure is not None:
            self.blocked = f"needs a backward that runs: {raised('backward', failure)}"
        return failure is None

    def gradient_check(
        self,
        name: str,
        right: Array,
        analytic: dict[str, Array],
        numeric: dict[str, Array],
        failure: BaseException | None,
        upstream: Array,
        layer: Layer,
    ) -> None:
        """One gradient from backward against its central differences, with the slip named when it is off."""
        label, equation = self.names.gradient(name), self.names.gradients[name]
        g = analytic.get(name)
        if g is not None and g.shape != right.shape:
            where = f" (in {describe(self.grad_paths[name])})" if name in self.grad_paths else ""
            hint = f"{label}{where} has shape {g.shape}; {equation} has shape {right.shape}."
            if g.shape == right.shape[::-1]:
                hint += " It is transposed."
            self.add(label, equation, False, hint=hint)
        elif g is not None and self.tolerance.close(g, right):
            self.add(label, equation, True, self.tolerance.error(g, right))
        elif failure is not None:
            self.add(label, equation, False, hint=self.failure_hint(name, failure, analytic, numeric))
        elif g is not None:
            found = find_slip(g, right, self.slips(name, right, upstream, layer), self.tolerance)
            hint = found or f"backward disagrees with central differences of forward {self.tolerance.worst(g, right)}."
            if found is None and self.kind is not None:
                hint += f" The slide: {equation}."
            self.add(label, equation, False, self.tolerance.error(g, right), hint)
        else:
            hint = (
                f"backward left no array of the shape of {name}, {right.shape}: write {label} into "
                f"{describe(self.sources[name])}'s gradient, e.g. self.{name}.grad[...] = ..."
            )
            self.add(label, equation, False, hint=hint)

    def parameters_check(self, layer: Layer, before: dict[str, Array]) -> None:
        """forward and backward leave the parameters as they were: updating them is GradientDescent's Step 3."""
        if not before:
            return
        changed = [
            name for name, value in before.items() if not np.array_equal(resolve(layer, self.sources[name]), value)
        ]
        hint = ""
        if changed:
            where = ", ".join(f"{name} ({describe(self.sources[name])})" for name in changed)
            hint = (
                f"forward and backward changed {where}. The update θ ← θ − α ∂J/∂θ is GradientDescent's (Step 3): "
                "with it in backward, every step updates twice. backward only sets the gradients."
            )
        self.add("parameters unchanged", PARAMETERS_RULE, not changed, hint=hint)

    def reach_check(self) -> None:
        """A Dense's W and b are parameters in parameters(), and backward wrote their gradients into them."""
        problems = []
        for name, path in self.sources.items():
            if not listed(path):
                where = describe(path[:-1] if path[-1][0] == "v" else path)
                if path[-1][0] == "v":
                    problems.append(f"parameters() does not return {name} ({where})")
                else:
                    problems.append(f"{name} is a plain array ({where}), not a mf.Parameter that parameters() returns")
                continue
            grad_path = (*path[:-1], ("g", None))
            chosen = self.grad_paths.get(name, grad_path)
            if chosen != grad_path:
                problems.append(f"backward put ∂J/∂{name} in {describe(chosen)}, not in {describe(grad_path)}")
        hint = ""
        if problems:
            hint = (
                "; ".join(problems) + ". GradientDescent updates only the parameters that parameters() returns, "
                'from their .grad, so it could not train this layer. Fix: self.W = mf.Parameter(W, name="W") and '
                'self.b = mf.Parameter(b, name="b"), parameters() returns [self.W, self.b], and backward sets '
                "self.W.grad[...] = ... and self.b.grad[...] = ..."
            )
        rule = "GradientDescent finds W, b and their gradients in parameters()"
        self.add("gradients reach parameters()", rule, not problems, hint=hint)

    def failure_hint(
        self, name: str, error: BaseException, analytic: dict[str, Array], numeric: dict[str, Array]
    ) -> str:
        """Why backward raised, for gradient ``name``: its shape in the message, or the one step left to fail."""
        names, m = self.names, self.m
        label, equation = names.gradient(name), names.gradients[name]
        right = numeric[name]
        message = raised("backward", error)
        if isinstance(error, NotAnArrayError):
            return message
        shapes = shapes_in(str(error))
        if right.ndim == 2 and right.shape[0] != right.shape[1] and right.shape[::-1] in shapes:
            return f"{message} {label} came out transposed, {right.shape[::-1]}: {equation} has shape {right.shape}."
        if self.kind == "dense" and name == "b" and m > 1 and (right.shape[0], m) in shapes:
            return (
                f"{message} ∂J/∂b came out with dz's shape {(right.shape[0], m)}: sum over the m columns, "
                f"dz.sum(axis=1, keepdims=True), shape {right.shape}."
            )
        others = [other for other in numeric if other != "x"]
        right_others = all(o in analytic and self.tolerance.close(analytic[o], numeric[o]) for o in others)
        if name == "x" and others and right_others:
            if self.kind == "dense":
                d_out, d_in = numeric["W"].shape
                return (
                    f"{message} ∂J/∂W and ∂J/∂b came out right, so the failing step is {equation}: Wᵀ, shape "
                    f"{(d_in, d_out)}, times dz {(d_out, m)} gives {(d_in, m)}; W itself does not fit dz."
                )
            return f"{message} Every ∂J/∂θ came out right, so the failing step is {equation}."
        return message

    def repeat_checks(self) -> None:
        """Gradients are set by each backward, and a second backward gives the same as the first."""
        upstream = self.rng.normal(size=self.out.shape if self.out is not None else self.x.shape)
        layer = self.fresh()
        layer.forward(self.x.copy())
        dx1 = run_backward(layer, upstream.copy())
        first = self.gradients(layer)
        dx2 = backward_again(layer, self.x, upstream)
        second = self.gradients(layer)
        differ = [n for n in first if not self.tolerance.close(second[n], first[n])]
        added = [n for n in differ if self.tolerance.close(second[n], 2 * first[n])]
        other = [n for n in differ if n not in added]
        hint = ""
        if added:
            where = ", ".join(describe(self.grad_paths.get(n, self.sources[n])) for n in added)
            hint = (
                f"the second backward gave 2 × the first for {where}: the gradient is added to (+=) instead of set. "
                f"Each backward sets ∂J/∂θ for the last forward (Step 2): write {added[0]}.grad[...] = ..."
            )
        elif other:
            hint = f"a second backward gave other gradients for {', '.join(other)}: backward changed what it reads."
        if first:  # a layer without parameters has no gradient to set
            self.add("set, not added up", "θ.grad[...] = ∂J/∂θ, at every backward", not hint, hint=hint)
        self.cache_checks(upstream, dx1, dx2)

    def cache_checks(self, upstream: Array, dx1: Array, dx2: Array) -> None:
        """The cache holds what backward needs: the last forward's batch, untouched by the caller's arrays."""
        names = self.names
        # A forward on another batch in between: backward gives that batch's gradients.
        other_x = self.x + self.rng.normal(size=self.x.shape)
        reference = self.fresh()
        reference.forward(other_x.copy())
        dx_reference = run_backward(reference, upstream.copy())
        layer = self.fresh()
        layer.forward(self.x.copy())
        layer.forward(other_x.copy())
        dx_other = run_backward(layer, upstream.copy())
        reference_gradients = self.gradients(reference)
        stale = not self.tolerance.close(dx_other, dx_reference) or any(
            not self.tolerance.close(g, reference_gradients[n]) for n, g in self.gradients(layer).items()
        )
        hint = ""
        if stale:
            old = self.tolerance.close(dx_other, dx1)
            hint = (
                f"after forward(x1), forward(x2), backward gave the gradients of x1: the cache kept an earlier "
                f"batch. Cache {names.x if self.kind != 'sigmoid' else 'a'} in every forward, not only in the first."
                if old
                else "after forward(x1), forward(x2), backward gave gradients that are not those of x2: the "
                "cache does not hold what the last forward computed."
            )
        self.add("cache follows forward", "backward uses the last forward's batch", not stale, hint=hint)
        # A caller writing into the array backward returned: the next backward is the same.
        layer = self.fresh()
        layer.forward(self.x.copy())
        returned = layer.backward(upstream.copy())
        kept = np.array(returned, dtype=np.float64)
        if isinstance(returned, np.ndarray) and returned.flags.writeable:
            returned[...] = 1e6
        dx_next = backward_again(layer, self.x, upstream)
        changed = not self.tolerance.close(dx_next, kept)
        repeatable = self.tolerance.close(dx2, dx1)
        hint = ""
        if not repeatable:
            hint = (
                "two backwards in a row gave different results: backward changed its own cache in place "
                "(such as a *= 1 - a). Compute into a new array."
            )
        elif changed:
            hint = (
                "writing into the array backward returned changed the next backward: backward returned its "
                "cache (or a view of it). Return a new array."
            )
        self.add(
            "result is the caller's", "writing into it changes no later backward", repeatable and not changed, hint=hint
        )

    def rules(self) -> list[tuple[str, str]]:
        """Every check of this kind, in order, with its rule: the same for every layer of the kind."""
        names = self.names
        rules = [
            (f"forward returns {names.out}", "a float (d, m) array: one column per example, of x's dtype"),
            ("input unchanged", f"forward leaves {names.x} as it was"),
        ]
        if self.kind is not None:
            rules.append((f"forward computes {names.out}", names.forward))
        rules += [(names.gradient(name), equation) for name, equation in names.gradients.items()]
        rules.append(("upstream unchanged", f"backward leaves {names.up} as it was"))
        if self.kind == "dense" or self.sources:
            rules.append(("parameters unchanged", PARAMETERS_RULE))
        if self.kind == "dense":
            rules.append(
                ("gradients reach parameters()", "GradientDescent finds W, b and their gradients in parameters()")
            )
        if self.kind == "dense" or (self.kind is None and self.sources):
            rules.append(("set, not added up", "θ.grad[...] = ∂J/∂θ, at every backward"))
        return [
            *rules,
            ("cache follows forward", "backward uses the last forward's batch"),
            ("backward before forward", "a RuntimeError that says to call forward first"),
            ("result is the caller's", "writing into it changes no later backward"),
        ]

    def run(self) -> list[Check]:
        """Every check, in the order of :meth:`rules`; one that could not run failed, and says why."""
        out = self.names.out
        worked = guarded(self.checks, (f"forward returns {out}", "input unchanged"), self.forward_result)
        self.backward_first()
        if not worked:
            self.blocked = f"needs a forward that works (see 'forward returns {out}')"
        else:
            labels = [self.names.gradient(name) for name in self.names.gradients]
            labels += ["upstream unchanged", "parameters unchanged"]
            if guarded(self.checks, labels, self.gradient_checks):
                later = ("set, not added up", "cache follows forward", "result is the caller's")
                guarded(self.checks, later, self.repeat_checks)
        why = {name: self.missing for name in NEEDS_PARAMETERS} if self.missing else {}
        return complete(self.checks, self.rules(), ADVICE, why, self.blocked)


NEEDS_PARAMETERS = (
    "forward computes z",
    "∂J/∂W",
    "∂J/∂b",
    "parameters unchanged",
    "gradients reach parameters()",
    "set, not added up",
)
"""The checks of a Dense that cannot run without its W and b."""


def complete(
    checks: list[Check], rules: list[tuple[str, str]], advice: tuple[str, ...], why: dict[str, str], blocked: str
) -> list[Check]:
    """The checks of ``rules``, in their order, each with its rule and tier; one that did not run fails, saying why.

    ``why``: the reason by check name; else ``blocked``, the reason later checks could not run.
    """
    found: dict[str, Check] = {}
    for check in checks:
        found.setdefault(check.name, check)
    result = []
    for name, rule in rules:
        entry = found.get(name)
        if entry is None:
            reason = why.get(name) or blocked or "an earlier step failed"
            entry = Check(name, rule, False, hint=f"could not run: {reason}.")
        tier: Tier = "advice" if name in advice else "math"
        result.append(evolve(entry, equation=rule, tier=tier))
    return result


def merge(runs: list[tuple[str, list[Check]]]) -> list[Check]:
    """One check per name from the checks at several shapes: passed at all, the largest error, the first failure."""
    merged = []
    for index, check in enumerate(runs[0][1]):
        same = [(label, checks[index]) for label, checks in runs if index < len(checks)]
        failing = [(label, other) for label, other in same if not other.passed or other.name != check.name]
        errors = [other.max_error for _, other in same if other.max_error is not None]
        hint = ""
        if failing:
            label, first = failing[0]
            hint = f"at {label}: {first.hint}"
            if len(failing) > 1:
                hint += f" (also at {'; '.join(other_label for other_label, _ in failing[1:])})"
        merged.append(evolve(check, passed=not failing, max_error=max(errors) if errors else None, hint=hint))
    return merged


def float64_batch(value: object, name: str, shape: tuple[int, ...] | None = None) -> Array:
    """A float64 copy of ``value``, a finite (d, m) batch (of ``shape`` if given); else a clear error."""
    if shape is None:
        batch = check_batch(value, name, None, np.float64)
    else:
        batch = check_same_shape(value, name, shape, np.float64, "the shape of a")
    check_finite(batch, name)
    if batch.shape[1] < 2:
        message = (
            f"{name} has m = 1 example; the checks need m >= 2, since with one column a sum over the columns and "
            "a mean (a missing or extra 1/m) give the same numbers. Fix: pass a few columns, e.g. m = 5."
        )
        raise ShapeError(message)
    return np.array(batch, dtype=np.float64)


def build(make: Callable[..., object], sizes: tuple[int, int], base: type) -> Callable[[], Any]:
    """A function that makes an instance of ``base`` with ``make`` (with ``sizes`` when it takes two); checked once."""

    def made() -> Any:
        return new_instance(make, sizes)

    name = getattr(make, "__name__", repr(make))
    try:
        instance = made()
    except Exception as error:
        message = (
            f"cannot make a {name} to check: {name}(...) raised {type(error).__name__}: {error}. Fix: a class "
            f"is made with no arguments, or with (in_features, out_features) = {sizes}"
        )
        raise CheckSetupError(message) from None
    if not isinstance(instance, base):
        raise CheckSetupError(f"{name}() made a {type(instance).__name__}, not a minifw {base.__name__}")
    return made


def shapes_for(
    make: Callable[..., object], kind: str | None, sample: object
) -> list[tuple[str, tuple[int, int], tuple[int, int]]]:
    """(label, sizes to make the layer with, shape of x) for each shape a layer class is checked at.

    ``sample``: one layer it made, whose ``elementwise`` and ``in_features`` say what it takes.
    """
    if kind == "dense" or (kind is None and takes_sizes(make)):
        return [(f"W ({d_out}, {d_in}), m = {m}", (d_in, d_out), (d_in, m)) for d_in, d_out, m in DENSE_SHAPES]
    x_name = "z" if kind == "sigmoid" else "x"
    if kind == "sigmoid" or getattr(sample, "elementwise", False):
        return [(f"{x_name} ({d}, {m})", (d, d), (d, m)) for d, m in ELEMENTWISE_SHAPES]
    rows = getattr(sample, "in_features", 3)
    rows = rows if isinstance(rows, int) and rows > 0 else 3
    return [(f"x ({rows}, {m})", (rows, rows), (rows, m)) for m in (7, 2)]


def check_layer(
    layer: Layer | Callable[..., Layer],
    x: Array | None = None,
    *,
    kind: str | None = None,
    strict: bool = False,
    rng: np.random.Generator | int | None = None,
) -> CheckReport:
    """forward and backward of ``layer`` held to the slides; each failure names the equation and the likely slip.

    Checks (each on a fresh copy of the layer, so that one slip gives one failure and ``layer``
    itself is left as it was), the same checks in the same order for every layer of a kind:

    - ``forward`` returns a float (d, m) array of the promised shape (x's for a Sigmoid or an
      elementwise layer, W's rows for a Dense) and dtype, and leaves ``x`` unchanged;
    - with a ``kind``, its values are the slide's z = b + W a_prev or a = σ(z);
    - ∂J/∂x and every ∂J/∂θ against central differences of ``forward`` (float64), for the
      cost J = Σ dout ⊙ forward(x) with a random upstream gradient dout;
    - forward and backward leave the parameters as they were (updating them is GradientDescent's);
    - for a Dense, the gradients reach ``parameters()``, where ``GradientDescent`` finds them;
    - gradients are set by each ``backward``, not added up across calls;
    - the cache follows forward: a ``forward`` on another batch in between gives that batch's
      gradients;
    - advice (fails only with ``strict=True``): ``backward`` leaves dout unchanged; ``backward``
      before ``forward`` raises a clear error (a ``RuntimeError`` such as
      :class:`minifw.StateError` that says to call forward); writing into the array
      ``backward`` returned changes no later ``backward``.

    A check that cannot run (a forward that raises leaves nothing to differentiate) fails and
    says why, so two layers' reports have the same checks. A failure's hint names the slide
    equation and, for the slide layers' typical mistakes, the slip, found by comparing the
    numbers with what each slip gives: ∂J/∂W transposed, ∂J/∂b not summed over the m columns
    (or averaged), a 1/m too many or too few, a sign error, σ' from z instead of a, W instead
    of Wᵀ in ∂J/∂a_prev, the gradient added instead of set, kept outside ``parameters()``.

    Args:
        layer: the layer to check: an instance of a :class:`minifw.Layer` (checked on ``x``), or
            a class or a function that makes one, with (in_features, out_features) or with no
            arguments; it is then made and checked at several shapes: for a Dense a square W,
            d_l = 1 and rectangular Ws, with m = 7 and m = 2.
        x: for an instance, a small batch, shape (d, m), with m >= 2 (with m = 1 a sum over
            columns and a mean look alike). Converted to float64.
        kind: ``"dense"`` or ``"sigmoid"``: the slide class the layer is meant to be; its
            equations are then checked whatever the class and parameter names (a Dense's W and
            b are found by their shapes, in ``parameters()`` or in attributes). By default the
            class's own ``kind`` attribute (the exercises that ``minifw exercises DIR`` writes
            have one), or the kind of minifw's own ``Dense`` and ``Sigmoid``; without one, only
            forward/backward consistency is checked, and the report's first line says so.
        strict: whether engineering advice fails the report too.
        rng: the ``numpy.random.Generator`` (or int seed) of the batches, the upstream gradients
            and of the values given to parameters that are all zero (b = 0 would hide a missing b).

    Returns:
        A :class:`minifw.CheckReport`: ``report.ok``, one :class:`minifw.Check` per check in
        ``report.checks``, ``print(report)`` for the lines with their hints; in Jupyter it shows
        itself as a table.

    Raises:
        NotALayerError: ``layer`` is neither a Layer nor something that makes one.
        CheckSetupError: an unknown ``kind``, ``x`` given with a class, or a class that cannot be made.

    Notes:
        Central differences need a smooth forward: at a kink (ReLU at z = 0) they give the mean
        of the two slopes, so keep the entries of ``x`` away from kinks (random normal values are).

    Examples:
        >>> import numpy as np
        >>> import minifw as mf
        >>> report = mf.check_layer(mf.Dense(3, 4, rng=0), np.ones((3, 5)), rng=0)
        >>> report.ok, report.kind
        (True, 'dense')
        >>> mf.check_layer(mf.Sigmoid, rng=0).ok  # the class: at several shapes
        True
    """
    random = generator(rng, "check_layer rng", "rng", ValueRangeError)
    if isinstance(layer, Layer):
        chosen = kind_of(layer, kind, LAYER_KINDS)
        if x is None:
            message = (
                f"check_layer({layer!r}) needs x, the batch to check it on. Fix: pass x of shape (d, m), or the "
                f"class, check_layer({type(layer).__name__}), to check it at several shapes"
            )
            raise CheckSetupError(message)
        x_checked = float64_batch(x, "x")
        checks = LayerChecks(layer, x_checked, random, chosen)
        as_kind = f" as the slides' {KIND_NAMES[chosen]} ({KINDS[chosen]})" if chosen else ""
        subject = f"check_layer: {layer!r}{as_kind} on {checks.names.x} of shape {x_checked.shape}"
        return CheckReport(subject, checks.run(), kind=chosen, strict=strict)
    if not callable(layer) or (isinstance(layer, type) and not issubclass(layer, Layer)):
        message = (
            f"check_layer takes a minifw Layer, got {type(layer).__name__ if not isinstance(layer, type) else layer}. "
            "Fix: pass an instance of your layer class with x, e.g. check_layer(Dense(3, 4), x), or the class."
        )
        raise NotALayerError(message)
    chosen = kind_of(layer, kind, LAYER_KINDS)
    if x is not None:
        message = "x is for a layer instance; a class is checked at several shapes of its own. Fix: drop x"
        raise CheckSetupError(message)
    runs = []
    sample = build(layer, (3, 3), Layer)()
    for label, sizes, shape in shapes_for(layer, chosen, sample):
        make = build(layer, sizes, Layer)
        elementwise = chosen == "sigmoid" or bool(getattr(sample, "elementwise", False))
        x_at = random.normal(size=shape) * (2.0 if elementwise else 1.0)  # a Sigmoid's z from about -4 to 4
        checks = LayerChecks(make(), x_at, random, chosen, make, sizes)
        runs.append((label, checks.run()))
    name = getattr(layer, "__name__", repr(layer))
    as_kind = f" as the slides' {KIND_NAMES[chosen]} ({KINDS[chosen]})" if chosen else ""
    subject = f"check_layer: {name}{as_kind} at {len(runs)} shapes: {'; '.join(label for label, _ in runs)}"
    return CheckReport(subject, merge(runs), kind=chosen, strict=strict)
