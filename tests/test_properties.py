"""Properties that hold for every input (hypothesis): sigmoid, BCE, gradients, shapes, seeds, save/load.

Tolerances, and why:

- σ(z) + σ(-z) = 1 to 2 ulp of 1 (each side is one division, correctly rounded).
- BCE against an independent reference L = softplus(z) - y z, with softplus computed in
  Python's ``math.log1p`` one entry at a time: relative 1e-12 of the size of the terms
  (|z| + 1), which is where float64 rounding of max(z, 0) - y z lives.
- Gradients against central differences, step h, compared as max|g - g_fd| <= tol · (1 + max|g|):
  float64: h = 1e-6, tol = 1e-6 (truncation ~h² = 1e-12, rounding ~eps/h = 2e-10), and also
  entry by entry to relative 1e-5 or absolute 1e-8;
  float32: h = 1e-2, tol = 2e-2 (truncation ~h² = 1e-4, rounding ~eps32/h = 1e-5, times the
  size of J; the float32 forward passes themselves round at ~1e-7 relative).
"""

import math
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minifw as mf

FLOATS = {
    np.float64: st.floats(allow_nan=False, allow_infinity=False, width=64),
    np.float32: st.floats(allow_nan=False, allow_infinity=False, width=32),
}
DTYPES = st.sampled_from([np.float64, np.float32])
SHAPES = hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=6)


@st.composite
def logits(draw: st.DrawFn, bound: float | None = None) -> npt.NDArray[Any]:
    """A (d, m) float64 or float32 array of finite z (|z| <= bound when given)."""
    dtype = draw(DTYPES)
    elements = FLOATS[dtype] if bound is None else st.floats(-bound, bound, width=64 if dtype == np.float64 else 32)
    array: npt.NDArray[Any] = draw(hnp.arrays(dtype, SHAPES, elements=elements))
    return array


# Sigmoid -----------------------------------------------------------------------------------------


@settings(max_examples=200)
@given(z=logits())
def test_sigmoid_is_a_probability_and_symmetric_without_warnings(z: npt.NDArray[Any]) -> None:
    with np.errstate(all="raise"):
        a = mf.sigmoid(z)
        a_neg = mf.sigmoid(-z)
        layer = mf.Sigmoid()
        out = layer.forward(z)
        dz = layer.backward(np.ones_like(z))
    assert a.dtype == z.dtype
    assert a.shape == z.shape
    assert ((a >= 0.0) & (a <= 1.0)).all()
    eps = np.finfo(z.dtype).eps
    np.testing.assert_array_less(np.abs(a + a_neg - 1.0), 2 * eps + 1e-300)
    np.testing.assert_array_equal(out, a)
    assert ((dz >= 0.0) & (dz <= 0.25)).all()


@settings(max_examples=200)
@given(z=logits())
def test_sigmoid_is_monotone(z: npt.NDArray[Any]) -> None:
    ordered = np.sort(z.ravel())[None, :]
    with np.errstate(all="raise"):
        a = mf.sigmoid(ordered)
    assert (np.diff(a, axis=1) >= 0.0).all()


# Binary cross-entropy ----------------------------------------------------------------------------


def reference_cost(z: npt.NDArray[Any], y: npt.NDArray[Any]) -> float:
    """J = (1/m) Σ softplus(z) - y z, entry by entry in Python floats (independent of minifw)."""
    total = 0.0
    for zi, yi in zip(z.astype(float).ravel(), y.astype(float).ravel(), strict=True):
        softplus = max(zi, 0.0) + math.log1p(math.exp(-abs(zi)))
        total += softplus - yi * zi
    return total / float(z.shape[1])


@st.composite
def logits_and_labels(draw: st.DrawFn, bound: float) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
    z = draw(logits(bound=bound))
    hard = draw(st.booleans())
    labels = st.sampled_from([0.0, 1.0]) if hard else st.floats(0.0, 1.0)
    y = draw(hnp.arrays(z.dtype, z.shape, elements=labels))
    return z, y


# |z| <= 2^119 (6.6e35), so that a sum of up to 36 entries cannot overflow (float32 ends at 3.4e38).
@settings(max_examples=200)
@given(zy=logits_and_labels(bound=2.0**119))
def test_bce_is_finite_non_negative_and_equals_a_log1p_reference(
    zy: tuple[npt.NDArray[Any], npt.NDArray[Any]],
) -> None:
    z, y = zy
    loss = mf.BinaryCrossEntropy()
    J = loss.forward(mf.Sigmoid().forward(z), y)
    assert math.isfinite(J)
    assert J >= 0.0
    expected = reference_cost(z, y)
    scale = float(np.abs(z.astype(float)).sum()) / z.shape[1] + 1.0
    eps = float(np.finfo(z.dtype).eps)
    assert abs(J - expected) <= 8 * eps * scale * z.size


@settings(max_examples=100)
@given(zy=logits_and_labels(bound=2.0**20), seed=st.integers(0, 2**32 - 1))
def test_bce_is_invariant_under_column_permutation(
    zy: tuple[npt.NDArray[Any], npt.NDArray[Any]],
    seed: int,
) -> None:
    z, y = zy
    perm = np.random.default_rng(seed).permutation(z.shape[1])
    loss, loss_perm = mf.BinaryCrossEntropy(), mf.BinaryCrossEntropy()
    sig, sig_perm = mf.Sigmoid(), mf.Sigmoid()
    J = loss.forward(sig.forward(z), y)
    J_perm = loss_perm.forward(sig_perm.forward(z[:, perm]), y[:, perm])
    eps = float(np.finfo(z.dtype).eps)
    assert abs(J - J_perm) <= 4 * eps * z.size * (abs(J) + 1.0)
    dz = sig.backward(loss.backward())
    dz_perm = sig_perm.backward(loss_perm.backward())
    np.testing.assert_array_equal(dz[:, perm], dz_perm)  # elementwise: exactly permuted


# Gradients against finite differences -------------------------------------------------------------

TOLERANCE = {np.float64: (1e-6, 1e-6), np.float32: (1e-2, 2e-2)}
"""dtype -> (step h, tolerance); see the module docstring for why."""


def central_differences(cost: Callable[[], float], array: npt.NDArray[Any], h: float) -> npt.NDArray[np.float64]:
    """(cost(θ + h e_i) - cost(θ - h e_i)) / 2h for each entry θ_i of ``array``, in float64.

    Each entry is moved in place by ±h (in the array's dtype) and put back; ``cost`` must read ``array``.
    """
    numeric = np.zeros(array.shape)
    step = array.dtype.type(h)
    for index in np.ndindex(array.shape):
        saved = array[index]
        array[index] = saved + step
        plus = cost()
        array[index] = saved - step
        minus = cost()
        array[index] = saved
        numeric[index] = (plus - minus) / (2 * h)
    return numeric


@settings(max_examples=60, deadline=None)
@given(
    dtype=DTYPES,
    sizes=st.lists(st.integers(1, 6), min_size=2, max_size=4),
    m=st.integers(1, 8),
    normal_parameters=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_gradients_match_central_differences(
    dtype: Any, sizes: list[int], m: int, normal_parameters: bool, seed: int
) -> None:
    """∂J/∂θ of every parameter and ∂J/∂X: Dense-Sigmoid networks of any depth, either dtype.

    The parameters are the initial ones or N(0, 1) draws (larger |z|, nearer saturation).
    """
    rng = np.random.default_rng(seed)
    layers: list[mf.Layer] = []
    for d_in, d_out in zip(sizes, [*sizes[1:], 1], strict=True):
        layers += [mf.Dense(d_in, d_out, rng=rng, dtype=dtype), mf.Sigmoid()]
    model = mf.Sequential(*layers)
    if normal_parameters:
        for p in model.parameters():
            p.value[...] = rng.normal(size=p.shape)
    X = rng.normal(size=(sizes[0], m)).astype(dtype)
    Y = (rng.random((1, m)) < 0.5).astype(dtype)
    loss = mf.BinaryCrossEntropy()
    loss.forward(model.forward(X), Y)
    dX = model.backward(loss.backward(), input_grad=True)
    h, tol = TOLERANCE[dtype]

    def cost() -> float:
        return mf.BinaryCrossEntropy().forward(model.forward(X), Y)

    for name, array, grad in [*((p.name, p.value, p.grad) for p in model.parameters()), ("X", X, dX)]:
        numeric = central_differences(cost, array, h)
        assert grad.dtype == np.dtype(dtype), name
        assert np.abs(grad - numeric).max() <= tol * (1.0 + np.abs(numeric).max()), name
        if dtype == np.float64:
            np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-8, err_msg=name)


# Shape rules -------------------------------------------------------------------------------------


@settings(max_examples=100)
@given(d_in=st.integers(1, 8), d_out=st.integers(1, 8), m=st.integers(1, 8), dtype=DTYPES)
def test_every_shape_rule(d_in: int, d_out: int, m: int, dtype: Any) -> None:
    dense, sigmoid = mf.Dense(d_in, d_out, rng=0, dtype=dtype), mf.Sigmoid()
    a_prev = np.ones((d_in, m), dtype=dtype)
    z = dense.forward(a_prev)
    a = sigmoid.forward(z)
    assert dense.W.value.shape == (d_out, d_in)
    assert dense.b.value.shape == (d_out, 1)
    assert z.shape == a.shape == (d_out, m)
    dz = sigmoid.backward(np.ones_like(a))
    da_prev = dense.backward(dz)
    assert dz.shape == z.shape
    assert dense.W.grad.shape == dense.W.value.shape
    assert dense.b.grad.shape == (d_out, 1)
    assert da_prev.shape == a_prev.shape
    for array in (z, a, dz, da_prev, dense.W.grad, dense.b.grad):
        assert array.dtype == np.dtype(dtype)


# Seeds -------------------------------------------------------------------------------------------


@settings(max_examples=50)
@given(seed=st.integers(0, 2**63), d_in=st.integers(1, 6), d_out=st.integers(1, 6))
def test_same_seed_same_weights_and_global_random_state_untouched(seed: int, d_in: int, d_out: int) -> None:
    before = np.random.get_state(legacy=False)  # noqa: NPY002  # the legacy global state must stay untouched
    first = mf.Dense(d_in, d_out, rng=seed)
    second = mf.Dense(d_in, d_out, rng=np.random.default_rng(seed))
    mf.Dense(d_in, d_out)  # fresh entropy: still not the global state
    after = np.random.get_state(legacy=False)  # noqa: NPY002  # as above
    assert first.W.value.tobytes() == second.W.value.tobytes()
    assert not first.b.value.any()
    assert before["state"]["pos"] == after["state"]["pos"]
    np.testing.assert_array_equal(before["state"]["key"], after["state"]["key"])
    assert (before["has_gauss"], before["gauss"]) == (after["has_gauss"], after["gauss"])


# Save / load -------------------------------------------------------------------------------------


@st.composite
def architectures(draw: st.DrawFn) -> tuple[list[tuple[int, int, bool]], Any]:
    """Dense layers (d_in, d_out, followed by a Sigmoid?) that chain, and a dtype."""
    sizes = draw(st.lists(st.integers(1, 5), min_size=2, max_size=5))
    sigmoids = draw(st.lists(st.booleans(), min_size=len(sizes) - 1, max_size=len(sizes) - 1))
    return [(a, b, s) for a, b, s in zip(sizes[:-1], sizes[1:], sigmoids, strict=True)], draw(DTYPES)


def build(layout: list[tuple[int, int, bool]], dtype: Any, seed: int = 0) -> mf.Sequential:
    layers: list[mf.Layer] = []
    for d_in, d_out, sigmoid in layout:
        layers.append(mf.Dense(d_in, d_out, rng=seed, dtype=dtype))
        if sigmoid:
            layers.append(mf.Sigmoid())
    return mf.Sequential(*layers)


@pytest.fixture(scope="module")
def folder() -> Any:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


@settings(max_examples=40)
@given(architecture=architectures(), data=st.data())
def test_random_architectures_round_trip_bitwise(
    folder: Path, architecture: tuple[list[tuple[int, int, bool]], Any], data: st.DataObject
) -> None:
    layout, dtype = architecture
    model = build(layout, dtype)
    for p in model.parameters():  # any finite values: subnormals, -0.0, the largest floats
        p.value[...] = data.draw(hnp.arrays(dtype, p.shape, elements=FLOATS[dtype]))
    path = folder / "model.npz"
    mf.save(model, path)
    copy = mf.load(path)
    assert repr(copy) == repr(model)
    for p, q in zip(model.parameters(), copy.parameters(), strict=True):
        assert (p.value.dtype, p.value.shape, p.value.tobytes()) == (q.value.dtype, q.value.shape, q.value.tobytes())
    fresh = build(layout, dtype, seed=1)
    mf.load_parameters(fresh, path)
    assert [p.value.tobytes() for p in fresh.parameters()] == [p.value.tobytes() for p in model.parameters()]


@settings(max_examples=40)
@given(saved=architectures(), other=architectures())
def test_loading_into_a_different_architecture_raises(
    folder: Path, saved: tuple[list[tuple[int, int, bool]], Any], other: tuple[list[tuple[int, int, bool]], Any]
) -> None:
    assume(saved[0] != other[0] or saved[1] != other[1])
    path = folder / "model.npz"
    mf.save(build(*saved), path)
    target = build(*other, seed=3)
    before = [p.value.tobytes() for p in target.parameters()]
    with pytest.raises(mf.ModelFileError, match="cannot load"):
        mf.load_parameters(target, path)
    assert [p.value.tobytes() for p in target.parameters()] == before


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(("z", "y"), [(-745.0, 1.0), (745.0, 0.0), (-89.0, 1.0), (89.0, 0.0), (-1e4, 0.5)])
def test_bce_backward_where_a_is_subnormal_or_zero_warns_nothing(dtype: Any, z: float, y: float) -> None:
    # Found by the permutation property: y / a overflowed (a RuntimeWarning) where a is subnormal.
    loss, sigmoid = mf.BinaryCrossEntropy(), mf.Sigmoid()
    a = sigmoid.forward(np.array([[z]], dtype=dtype))
    loss.forward(a, np.array([[y]], dtype=dtype))
    dz = sigmoid.backward(loss.backward())
    assert dz.tolist() == [[(float(a[0, 0]) - y)]]
