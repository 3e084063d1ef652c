"""mf.trace: every recorded value equals the slides' formula, computed independently here."""

import numpy as np
import pytest

import minifw as mf

from . import slide_formulas as slides


def parameters(model: mf.Sequential) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    W1, b1, W2, b2 = (p.value.copy() for p in model.parameters())
    return W1, b1, W2, b2


def test_one_example_matches_the_slides_formulas(model: mf.Sequential) -> None:
    x = np.array([[0.5], [-1.0], [2.0]])
    y = 1.0
    W1, b1, W2, b2 = parameters(model)
    ref = slides.one_example(x, y, W1, b1, W2, float(b2[0, 0]))
    alpha = 0.7

    t = mf.trace(model, mf.BinaryCrossEntropy(), x, np.array([[y]]), learning_rate=alpha)

    assert t.m == 1
    np.testing.assert_array_equal(t["x"], x)
    np.testing.assert_array_equal(t["W^[1]"], W1)
    np.testing.assert_allclose(t["z^[1]"], ref.z1, rtol=1e-14)
    np.testing.assert_allclose(t["a^[1]"], ref.a1, rtol=1e-14)
    np.testing.assert_allclose(t["z^[2]"], [[ref.z2]], rtol=1e-14)
    np.testing.assert_allclose(t["a^[2]"], [[ref.a2]], rtol=1e-14)
    np.testing.assert_allclose(t["J"], [[ref.J]], rtol=1e-13)
    np.testing.assert_allclose(t["D"], ref.D, rtol=1e-14)  # the full diagonal matrix of the slides
    assert t["D"].shape == (4, 4)
    np.testing.assert_allclose(t["dJ/db^[2]"], [[ref.db2]], rtol=1e-13)
    np.testing.assert_allclose(t["dJ/dW^[2]"], ref.dW2, rtol=1e-13)
    np.testing.assert_allclose(t["dJ/db^[1]"], ref.db1, rtol=1e-12, atol=1e-16)
    np.testing.assert_allclose(t["dJ/dW^[1]"], ref.dW1, rtol=1e-12, atol=1e-16)
    # The update θ - α ∂J/∂θ, from the slides' gradients.
    np.testing.assert_allclose(t["new W^[1]"], W1 - alpha * ref.dW1, rtol=1e-13)
    np.testing.assert_allclose(t["new b^[1]"], b1 - alpha * ref.db1, rtol=1e-13)
    np.testing.assert_allclose(t["new W^[2]"], W2 - alpha * ref.dW2, rtol=1e-13)
    np.testing.assert_allclose(t["new b^[2]"], b2 - alpha * ref.db2, rtol=1e-13)


def test_the_model_is_not_updated(model: mf.Sequential) -> None:
    before = parameters(model)
    mf.trace(model, mf.BinaryCrossEntropy(), np.ones((3, 1)), np.array([[0.0]]))
    for p, value in zip(model.parameters(), before, strict=True):
        np.testing.assert_array_equal(p.value, value)


def test_each_step_is_labelled_with_its_slide_equation(model: mf.Sequential) -> None:
    t = mf.trace(model, mf.BinaryCrossEntropy(), np.ones((3, 1)), np.array([[1.0]]))
    equations = {step.symbol: step.equation for step in t.steps}
    assert equations["z^[1]"] == "z^[1] = b^[1] + W^[1] x"
    assert equations["a^[1]"] == "a^[1] = σ(z^[1])"
    assert equations["z^[2]"] == "z^[2] = b^[2] + W^[2] a^[1]"
    assert equations["a^[2]"] == "a^[2] = σ(z^[2])"
    assert equations["J"] == "J = -{y log a^[2] + (1 - y) log(1 - a^[2])}"
    assert equations["dJ/db^[2]"] == "∂J/∂b^[2] = a^[2] - y"
    assert equations["dJ/dW^[2]"] == "∂J/∂W^[2] = (a^[2] - y)(a^[1])^T"
    assert equations["D"] == "D = diag(a^[1]_j (1 - a^[1]_j))"
    assert equations["dJ/db^[1]"] == "∂J/∂b^[1] = (a^[2] - y) D (W^[2])^T"
    assert equations["dJ/dW^[1]"] == "∂J/∂W^[1] = (a^[2] - y) D (W^[2])^T x^T"
    assert [step.stage for step in t.steps].count("update") == 4
    assert t.symbols.index("z^[1]") < t.symbols.index("J") < t.symbols.index("dJ/db^[2]") < t.symbols.index("new b^[2]")


def test_a_small_batch_matches_the_averaged_slides_formulas(model: mf.Sequential) -> None:
    rng = np.random.default_rng(3)
    X = rng.normal(size=(3, 4))
    Y = np.array([[0.0, 1.0, 1.0, 0.0]])
    W1, b1, W2, b2 = parameters(model)
    ref = slides.batch(X, Y, W1, b1, W2, b2)

    t = mf.trace(model, mf.BinaryCrossEntropy(), X, Y, learning_rate=1.0)

    assert t.m == 4
    np.testing.assert_allclose(t["J"], [[ref.J]], rtol=1e-13)
    np.testing.assert_allclose(t["dJ/dW^[1]"], ref.dW1, rtol=1e-12, atol=1e-16)
    np.testing.assert_allclose(t["dJ/db^[1]"], ref.db1, rtol=1e-12, atol=1e-16)
    np.testing.assert_allclose(t["dJ/dW^[2]"], ref.dW2, rtol=1e-12)
    np.testing.assert_allclose(t["dJ/db^[2]"], ref.db2, rtol=1e-12)
    a1 = t["a^[1]"]
    for i in range(4):  # column i of D is the diagonal of the slides' D for example i
        one = slides.one_example(X[:, [i]], float(Y[0, i]), W1, b1, W2, float(b2[0, 0]))
        np.testing.assert_allclose(np.diag(one.D), t["D"][:, i], rtol=1e-14)
        np.testing.assert_allclose(a1[:, [i]], one.a1, rtol=1e-14)
    assert "(1/m) Σ_i" in t.steps[t.symbols.index("dJ/dW^[1]")].equation


def test_text_and_markdown_show_every_step(model: mf.Sequential) -> None:
    t = mf.trace(model, mf.BinaryCrossEntropy(), np.ones((3, 1)), np.array([[1.0]]))
    text, markdown = t.to_text(), t.to_markdown()
    assert str(t) == text
    for step in t.steps:
        assert step.equation in text
        assert f"`{step.equation}`" in markdown
    J = float(t["J"][0, 0])
    assert f"{J:.4f}" in text
    for heading in ("Forward propagation", "Backpropagation", "Update"):
        assert heading in text
        assert f"#### {heading}" in markdown
    assert markdown.count("```text") == len(t.steps)


def test_markdown_with_math_gives_each_slide_equation_in_latex(model: mf.Sequential) -> None:
    t = mf.trace(model, mf.BinaryCrossEntropy(), np.ones((3, 1)), np.array([[1.0]]))
    markdown = t.to_markdown(math=True)
    for latex in (
        r"\(\mathbf{z}^{[1]} = \mathbf{b}^{[1]} + \mathbf{W}^{[1]} \mathbf{x}\)",
        r"\(\frac{\partial \mathcal{J}}{\partial b^{[2]}} = a^{[2]} - y\)",
        r"\(\frac{\partial \mathcal{J}}{\partial \mathbf{W}^{[1]}} = "
        r"(a^{[2]} - y) \mathbf{D} (\mathbf{W}^{[2]})^T \mathbf{x}^T\)",
    ):
        assert latex in markdown
    assert all(step.latex for step in t.steps)
    assert markdown.count("\\(") == len(t.steps)


def test_unknown_symbol_lists_the_known_ones(model: mf.Sequential) -> None:
    t = mf.trace(model, mf.BinaryCrossEntropy(), np.ones((3, 1)), np.array([[1.0]]))
    with pytest.raises(KeyError, match="z\\^\\[1\\]"):
        t["z3"]


def test_other_architectures_and_bad_input_are_refused(model: mf.Sequential) -> None:
    x, y = np.ones((3, 1)), np.array([[1.0]])
    with pytest.raises(mf.ArchitectureError, match="one hidden layer"):
        mf.trace(mf.Sequential(mf.Dense(3, 1), mf.Sigmoid()), mf.BinaryCrossEntropy(), x, y)
    with pytest.raises(mf.ArchitectureError):
        mf.trace(
            mf.Sequential(mf.Dense(3, 4), mf.Sigmoid(), mf.Dense(4, 2), mf.Sigmoid()), mf.BinaryCrossEntropy(), x, y
        )
    with pytest.raises(mf.ShapeError, match="transposed"):
        mf.trace(model, mf.BinaryCrossEntropy(), np.ones((1, 3)), y)
    with pytest.raises(mf.ShapeError):
        mf.trace(model, mf.BinaryCrossEntropy(), x, np.ones((1, 2)))
    with pytest.raises(mf.ValueRangeError):
        mf.trace(model, mf.BinaryCrossEntropy(), x, y, learning_rate=-1.0)
