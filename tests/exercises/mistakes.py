"""Planted mistakes: each class is the correct student solution with one slip of the kind students make.

``MISTAKES`` maps each to the check that must fail and a phrase its hint must contain.
"""

from typing import NamedTuple

import numpy as np

import minifw as mf

from .solution import BinaryCrossEntropy, Dense, Sigmoid


def cached(value: mf.Array | None) -> mf.Array:
    """A cached array, or the StateError the solution raises before forward (so each mistake is one slip)."""
    if value is None:
        raise mf.StateError("backward() was called before forward(). Fix: call forward first.")
    return value


class DenseTransposedDW(Dense):
    """∂J/∂W = a_prev dzᵀ, the transpose (square W, so it fits W.grad)."""

    def backward(self, grad: mf.Array) -> mf.Array:
        self.W.grad[...] = (grad @ cached(self.a_prev).T).T
        self.b.grad[...] = grad.sum(axis=1, keepdims=True)
        result: mf.Array = self.W.value.T @ grad
        return result


class DenseTransposedDWShape(Dense):
    """∂J/∂W = a_prev dzᵀ with a non-square W: NumPy cannot write it into W.grad."""

    def backward(self, grad: mf.Array) -> mf.Array:
        self.W.grad[...] = cached(self.a_prev) @ grad.T
        self.b.grad[...] = grad.sum(axis=1, keepdims=True)
        result: mf.Array = self.W.value.T @ grad
        return result


class DenseBiasNotSummed(Dense):
    """∂J/∂b = dz, not summed over the m columns: NumPy cannot write (d_l, m) into b.grad."""

    def backward(self, grad: mf.Array) -> mf.Array:
        self.W.grad[...] = grad @ cached(self.a_prev).T
        self.b.grad[...] = grad
        result: mf.Array = self.W.value.T @ grad
        return result


class DenseBiasAveraged(Dense):
    """∂J/∂b = the mean of dz over the columns, though the 1/m is already in dz."""

    def backward(self, grad: mf.Array) -> mf.Array:
        self.W.grad[...] = grad @ cached(self.a_prev).T
        self.b.grad[...] = grad.mean(axis=1, keepdims=True)
        result: mf.Array = self.W.value.T @ grad
        return result


class DenseDoubledOneOverM(Dense):
    """∂J/∂W = dz (a_prev)ᵀ / m, a second 1/m."""

    def backward(self, grad: mf.Array) -> mf.Array:
        m = grad.shape[1]
        self.W.grad[...] = grad @ cached(self.a_prev).T / m
        self.b.grad[...] = grad.sum(axis=1, keepdims=True)
        result: mf.Array = self.W.value.T @ grad
        return result


class DenseSignError(Dense):
    """∂J/∂W = -dz (a_prev)ᵀ: the update's minus in the gradient."""

    def backward(self, grad: mf.Array) -> mf.Array:
        self.W.grad[...] = -(grad @ cached(self.a_prev).T)
        self.b.grad[...] = grad.sum(axis=1, keepdims=True)
        result: mf.Array = self.W.value.T @ grad
        return result


class DenseWInsteadOfWT(Dense):
    """∂J/∂a_prev = W dz (square W, so the product fits)."""

    def backward(self, grad: mf.Array) -> mf.Array:
        super().backward(grad)
        result: mf.Array = self.W.value @ grad
        return result


class DenseWInsteadOfWTShape(Dense):
    """∂J/∂a_prev = W dz with a non-square W: the product raises."""

    def backward(self, grad: mf.Array) -> mf.Array:
        super().backward(grad)
        result: mf.Array = self.W.value @ grad
        return result


class DenseNoReturn(Dense):
    """Sets both gradients, then forgets to return ∂J/∂a_prev."""

    def backward(self, grad: mf.Array) -> mf.Array:
        super().backward(grad)
        return None  # type: ignore[return-value]  # the planted slip: a missing return


class DenseGradientAdded(Dense):
    """W.grad += ..., b.grad += ...: gradients added up across backwards."""

    def backward(self, grad: mf.Array) -> mf.Array:
        self.W.grad[...] += grad @ cached(self.a_prev).T
        self.b.grad[...] += grad.sum(axis=1, keepdims=True)
        result: mf.Array = self.W.value.T @ grad
        return result


class DenseGradientsOutsideParameters(Dense):
    """Right gradients, kept in attributes of its own (self.dW, self.db): GradientDescent never sees them."""

    def backward(self, grad: mf.Array) -> mf.Array:
        self.dW = grad @ cached(self.a_prev).T
        self.db = grad.sum(axis=1, keepdims=True)
        result: mf.Array = self.W.value.T @ grad
        return result


class DenseUpdatesInBackward(Dense):
    """backward also takes the gradient step, W ← W − α ∂J/∂W, which is GradientDescent's."""

    def backward(self, grad: mf.Array) -> mf.Array:
        result = super().backward(grad)
        self.W.value[...] -= 0.1 * self.W.grad
        return result


class DenseForgetsB(Dense):
    """z = W a_prev: b left out of forward."""

    def forward(self, x: mf.Array) -> mf.Array:
        self.a_prev = x
        z: mf.Array = self.W.value @ x
        return z


class DenseCachesFirstBatchOnly(Dense):
    """Caches a_prev at the first forward only."""

    def forward(self, x: mf.Array) -> mf.Array:
        if self.a_prev is None:
            self.a_prev = x
        z: mf.Array = self.b.value + self.W.value @ x
        return z


class DenseNoStateError(Dense):
    """backward before forward fails with NumPy's own error about None."""

    def backward(self, grad: mf.Array) -> mf.Array:
        self.W.grad[...] = grad @ self.a_prev.T  # type: ignore[union-attr]  # the planted slip: no check
        self.b.grad[...] = grad.sum(axis=1, keepdims=True)
        result: mf.Array = self.W.value.T @ grad
        return result


class DenseChangesInput(Dense):
    """forward adds b to x in place."""

    def forward(self, x: mf.Array) -> mf.Array:
        x += 0.0 * x + 1.0
        return super().forward(x - 1.0)


class SigmoidDerivativeFromZ(Sigmoid):
    """σ' computed as z(1 - z) from the input instead of a(1 - a)."""

    def __init__(self) -> None:
        super().__init__()
        self.z: mf.Array | None = None

    def forward(self, x: mf.Array) -> mf.Array:
        self.z = x.copy()
        return super().forward(x)

    def backward(self, grad: mf.Array) -> mf.Array:
        z = cached(self.z)
        dz: mf.Array = grad * z * (1.0 - z)
        return dz


class SigmoidWithoutD(Sigmoid):
    """Returns da unchanged: D forgotten."""

    def backward(self, grad: mf.Array) -> mf.Array:
        cached(self.a)
        return grad


class SigmoidWrongExponent(Sigmoid):
    """a = 1 / (1 + e^z): the sign of the exponent."""

    def forward(self, x: mf.Array) -> mf.Array:
        a: mf.Array = 1.0 / (1.0 + np.exp(x))
        self.a = a
        return a


class SigmoidChangesCache(Sigmoid):
    """backward computes a(1 - a) in place in its cache, so a second backward differs."""

    def backward(self, grad: mf.Array) -> mf.Array:
        a = cached(self.a)
        a *= 1.0 - a
        dz: mf.Array = grad * a
        return dz


class SigmoidReturnsCache(Sigmoid):
    """backward keeps its last result to hand out again for the same da: the caller then holds the cache."""

    def __init__(self) -> None:
        super().__init__()
        self.memo: tuple[mf.Array, mf.Array] | None = None

    def forward(self, x: mf.Array) -> mf.Array:
        self.memo = None
        return super().forward(x)

    def backward(self, grad: mf.Array) -> mf.Array:
        if self.memo is not None and np.array_equal(self.memo[0], grad):
            return self.memo[1]
        dz = super().backward(grad)
        self.memo = (grad.copy(), dz)
        return dz


class SigmoidChangesGrad(Sigmoid):
    """backward multiplies da in place: the caller's array changes."""

    def backward(self, grad: mf.Array) -> mf.Array:
        a = cached(self.a)
        grad *= a * (1.0 - a)
        return grad


class SigmoidFloat32(Sigmoid):
    """forward returns float32 for float64 z."""

    def forward(self, x: mf.Array) -> mf.Array:
        return super().forward(x).astype(np.float32)


class DenseReturnsZTransposed(Dense):
    """forward returns zᵀ, examples as rows."""

    def forward(self, x: mf.Array) -> mf.Array:
        return super().forward(x).T


class LossMissingOneOverM(BinaryCrossEntropy):
    """J and ∂J/∂a summed over the examples, not averaged."""

    def forward(self, a: mf.Array, y: mf.Array) -> float:
        return float(super().forward(a, y) * a.shape[1])

    def backward(self) -> mf.Array:
        return super().backward() * 5.0


class LossGradientMissingOneOverM(BinaryCrossEntropy):
    """J right, but ∂J/∂a = -y/a + (1 - y)/(1 - a) without its 1/m."""

    def backward(self) -> mf.Array:
        da = super().backward()
        result: mf.Array = da * da.shape[1]
        return result


class LossGradientDoubledOneOverM(BinaryCrossEntropy):
    """∂J/∂a divided by m twice."""

    def backward(self) -> mf.Array:
        da = super().backward()
        result: mf.Array = da / da.shape[1]
        return result


class LossReturnsDz(BinaryCrossEntropy):
    """backward returns (a - y)/m, which is ∂J/∂z^[2], not ∂J/∂a."""

    def backward(self) -> mf.Array:
        a, y = cached(self.a), cached(self.y)
        dz: mf.Array = (a - y) / a.shape[1]
        return dz


class LossSignError(BinaryCrossEntropy):
    """J = +(1/m) Σ {y log a + (1 - y) log(1 - a)}: the minus forgotten, in J and ∂J/∂a."""

    def forward(self, a: mf.Array, y: mf.Array) -> float:
        return -super().forward(a, y)

    def backward(self) -> mf.Array:
        return -super().backward()


class LossArrayJ(BinaryCrossEntropy):
    """forward returns J as a (1, 1) array."""

    def forward(self, a: mf.Array, y: mf.Array) -> float:
        J = super().forward(a, y)
        return np.array([[J]])  # type: ignore[return-value]  # the planted slip


class LossChangesLabels(BinaryCrossEntropy):
    """forward turns the caller's labels into ±1 in place."""

    def forward(self, a: mf.Array, y: mf.Array) -> float:
        J = super().forward(a, y.copy())
        y *= 2.0
        y -= 1.0
        return J


class LossCachesFirstBatchOnly(BinaryCrossEntropy):
    """Caches a and y at the first forward only."""

    def forward(self, a: mf.Array, y: mf.Array) -> float:
        cached = (self.a, self.y)
        J = super().forward(a, y)
        if cached[0] is not None:
            self.a, self.y = cached
        return J


class LossReturnsCache(BinaryCrossEntropy):
    """backward computes ∂J/∂a once and hands out the same array at every call."""

    def __init__(self) -> None:
        super().__init__()
        self.da: mf.Array | None = None

    def forward(self, a: mf.Array, y: mf.Array) -> float:
        self.da = None
        return super().forward(a, y)

    def backward(self) -> mf.Array:
        if self.da is None:
            self.da = super().backward()
        return self.da


class Mistake(NamedTuple):
    """A planted mistake: how to make it, the check that must fail, and a phrase of its hint."""

    make: type[mf.Layer] | type[mf.Loss]
    size: tuple[int, int]  # (in_features, out_features) for a Dense, ignored otherwise
    check: str
    hint: str


MISTAKES = {
    "dW transposed": Mistake(DenseTransposedDW, (3, 3), "∂J/∂W", "transpose of the right one"),
    "dW transposed, non-square": Mistake(DenseTransposedDWShape, (3, 4), "∂J/∂W", "came out transposed, (3, 4)"),
    "db not summed": Mistake(DenseBiasNotSummed, (3, 4), "∂J/∂b", "sum over the m columns"),
    "db averaged": Mistake(DenseBiasAveraged, (3, 4), "∂J/∂b", "the mean of dz over the m columns"),
    "dW with a second 1/m": Mistake(DenseDoubledOneOverM, (3, 4), "∂J/∂W", "one 1/m too many"),
    "dW sign": Mistake(DenseSignError, (3, 4), "∂J/∂W", "wrong sign"),
    "W instead of Wᵀ": Mistake(DenseWInsteadOfWT, (3, 3), "∂J/∂a_prev", "is W dz; the slide's is Wᵀ dz"),
    "W instead of Wᵀ, non-square": Mistake(
        DenseWInsteadOfWTShape, (3, 4), "∂J/∂a_prev", "∂J/∂W and ∂J/∂b came out right"
    ),
    "no return": Mistake(DenseNoReturn, (3, 4), "∂J/∂a_prev", "is its return statement missing?"),
    "gradient added": Mistake(DenseGradientAdded, (3, 4), "set, not added up", "added to (+=)"),
    "gradients outside parameters()": Mistake(
        DenseGradientsOutsideParameters, (3, 4), "gradients reach parameters()", "GradientDescent"
    ),
    "update in backward": Mistake(DenseUpdatesInBackward, (3, 4), "parameters unchanged", "GradientDescent's (Step 3)"),
    "z misses b": Mistake(DenseForgetsB, (3, 4), "forward computes z", "z misses b"),
    "stale cache": Mistake(DenseCachesFirstBatchOnly, (3, 4), "cache follows forward", "earlier batch"),
    "no StateError": Mistake(DenseNoStateError, (3, 4), "backward before forward", "not a clear error"),
    "forward changes x": Mistake(DenseChangesInput, (3, 4), "input unchanged", "in place"),
    "σ' from z": Mistake(SigmoidDerivativeFromZ, (0, 0), "∂J/∂z", "σ' computed from z instead of a"),
    "D forgotten": Mistake(SigmoidWithoutD, (0, 0), "∂J/∂z", "D is missing"),
    "σ(−z)": Mistake(SigmoidWrongExponent, (0, 0), "forward computes a", "has e^(−z)"),
    "backward changes its cache": Mistake(
        SigmoidChangesCache, (0, 0), "result is the caller's", "changed its own cache"
    ),
    "backward returns its cache": Mistake(SigmoidReturnsCache, (0, 0), "result is the caller's", "returned its cache"),
    "J and ∂J/∂a without 1/m": Mistake(LossMissingOneOverM, (0, 0), "1/m convention", "J is a sum over the examples"),
    "∂J/∂a without 1/m": Mistake(LossGradientMissingOneOverM, (0, 0), "∂J/∂a", "a 1/m is missing"),
    "∂J/∂a with 1/m twice": Mistake(LossGradientDoubledOneOverM, (0, 0), "∂J/∂a", "one 1/m too many"),
    "∂J/∂z returned for ∂J/∂a": Mistake(LossReturnsDz, (0, 0), "∂J/∂a", "which is ∂J/∂z^[2], not ∂J/∂a"),
    "J sign": Mistake(LossSignError, (0, 0), "J at three points", "wrong sign"),
    "J an array": Mistake(LossArrayJ, (0, 0), "forward returns J", "J is one number"),
    "labels changed": Mistake(LossChangesLabels, (0, 0), "a and y unchanged", "in place"),
    "loss cache stale": Mistake(LossCachesFirstBatchOnly, (0, 0), "cache follows forward", "earlier batch"),
    "loss returns its cache": Mistake(LossReturnsCache, (0, 0), "result is the caller's", "returned its cache"),
    "da changed in place": Mistake(SigmoidChangesGrad, (0, 0), "upstream unchanged", "in place"),
    "a in float32": Mistake(SigmoidFloat32, (0, 0), "forward returns a", "dtype float32"),
    "z transposed": Mistake(DenseReturnsZTransposed, (3, 4), "forward returns z", "It is transposed"),
}
