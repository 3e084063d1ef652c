"""Students' submissions, written the many ways students write them, each with the verdict a teacher expects.

Each is the source of one file, graded as ``minifw check`` grades it (``--as`` given where the class
does not declare its kind). No correct one may fail by default, and no wrong one may pass: a
grader's false verdict is the worst bug. ``failing`` is the exact set of checks that must fail (one
slip, one failure).
"""

from typing import NamedTuple


class Submission(NamedTuple):
    """One student's file: its style, the --as it is graded with, the verdict, the checks that must fail."""

    name: str
    style: str
    source: str
    kind: str | None
    expected: str  # "pass", "fail" or "error"
    failing: tuple[str, ...] = ()
    advice: tuple[str, ...] = ()  # advice checks that fail (they fail the verdict only with --strict)


HEAD = "import numpy as np\nimport minifw as mf\n\n"

SKELETON_DENSE = (
    HEAD
    + """
class Dense(mf.Layer):
    kind = "dense"

    def __init__(self, in_features, out_features, *, rng=None):
        r = np.sqrt(6.0 / (in_features + out_features))
        W = np.random.default_rng(rng).uniform(-r, r, (out_features, in_features))
        self.W = mf.Parameter(W, name="W")
        self.b = mf.Parameter(np.zeros((out_features, 1)), name="b")
        self.a_prev = None

    def forward(self, x):
        self.a_prev = x
        return self.b.value + self.W.value @ x

    def backward(self, grad):
        if self.a_prev is None:
            raise mf.StateError("backward() before forward(): call forward first")
        self.W.grad[...] = DW
        self.b.grad[...] = DB
        return DX

    def parameters(self):
        return [self.W, self.b]
"""
)


def dense(
    dW: str = "grad @ self.a_prev.T", db: str = "grad.sum(axis=1, keepdims=True)", dx: str = "self.W.value.T @ grad"
) -> str:
    """The Dense skeleton filled in, with the three gradients as given."""
    return SKELETON_DENSE.replace("DW", dW).replace("DB", db).replace("DX", dx)


SKELETON_SIGMOID = (
    HEAD
    + """
class Sigmoid(mf.Layer):
    kind = "sigmoid"
    elementwise = True

    def __init__(self):
        self.a = None

    def forward(self, x):
        self.a = FORWARD
        return self.a

    def backward(self, grad):
        if self.a is None:
            raise mf.StateError("backward() before forward(): call forward first")
        return BACKWARD
"""
)


def sigmoid(forward: str = "1.0 / (1.0 + np.exp(-x))", backward: str = "grad * self.a * (1.0 - self.a)") -> str:
    return SKELETON_SIGMOID.replace("FORWARD", forward).replace("BACKWARD", backward)


SKELETON_BCE = (
    HEAD
    + """
class BinaryCrossEntropy(mf.Loss):
    kind = "bce"

    def __init__(self):
        self.a = None
        self.y = None

    def forward(self, a, y):
        self.a, self.y = a, y
        m = a.shape[1]
        return FORWARD

    def backward(self):
        if self.a is None:
            raise mf.StateError("backward() before forward(): call forward first")
        a, y, m = self.a, self.y, self.a.shape[1]
        return BACKWARD
"""
)


def bce(
    forward: str = "float(-np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)) / m)",
    backward: str = "(-y / a + (1 - y) / (1 - a)) / m",
) -> str:
    return SKELETON_BCE.replace("FORWARD", forward).replace("BACKWARD", backward)


WEIGHTS_BIAS = (
    HEAD
    + '''
class Linear(mf.Layer):
    """From scratch: other names, a cache in self.x, no error before forward."""

    def __init__(self, n_in, n_out):
        rng = np.random.default_rng(1)
        self.weights = mf.Parameter(rng.normal(0, 0.5, (n_out, n_in)), name="weights")
        self.bias = mf.Parameter(np.zeros((n_out, 1)), name="bias")

    def forward(self, x):
        self.x = x
        return FORWARD

    def backward(self, dz):
        self.weights.grad[...] = dz @ self.x.T
        self.bias.grad[...] = np.sum(dz, axis=1, keepdims=True)
        return self.weights.value.T @ dz

    def parameters(self):
        return [self.weights, self.bias]
'''
)

PLAIN_NUMPY = (
    HEAD
    + '''
class Dense(mf.Layer):
    """Plain NumPy attributes, the way a NumPy-only course writes it."""

    kind = "dense"

    def __init__(self, d_in, d_out):
        self.W = np.random.default_rng(0).normal(0, 0.5, (d_out, d_in))
        self.b = np.zeros((d_out, 1))
        self.dW = np.zeros_like(self.W)
        self.db = np.zeros_like(self.b)

    def forward(self, a_prev):
        self.a_prev = a_prev
        return self.W @ a_prev + self.b

    def backward(self, dz):
        self.dW = dz @ self.a_prev.T
        self.db = dz.sum(axis=1, keepdims=True)
        return self.W.T @ dz
'''
)

PARAMS_DICT = (
    HEAD
    + '''
class FullyConnected(mf.Layer):
    """Parameters in a dict, gradients through them."""

    def __init__(self, fan_in, fan_out, rng=None):
        g = np.random.default_rng(rng)
        self.params = {
            "W": mf.Parameter(g.standard_normal((fan_out, fan_in)) * 0.1, name="W"),
            "b": mf.Parameter(np.zeros((fan_out, 1)), name="b"),
        }
        self.cache = {}

    def forward(self, x):
        self.cache["x"] = x.copy()
        W, b = self.params["W"].value, self.params["b"].value
        return np.dot(W, x) + b

    def backward(self, grad):
        x = self.cache["x"]
        self.params["W"].grad[:] = np.dot(grad, x.T)
        self.params["b"].grad[:] = grad.sum(1, keepdims=True)
        return np.dot(self.params["W"].value.T, grad)

    def parameters(self):
        return list(self.params.values())
'''
)

BIAS_1D = (
    HEAD
    + '''
class Dense(mf.Layer):
    """b kept as a 1-D vector of d_l entries, broadcast as a column."""

    kind = "dense"

    def __init__(self, in_features, out_features):
        self.W = mf.Parameter(np.random.default_rng(3).uniform(-1, 1, (out_features, in_features)), name="W")
        self.b = mf.Parameter(np.zeros(out_features), name="b")
        self.x = None

    def forward(self, x):
        self.x = x
        return self.W.value @ x + self.b.value[:, None]

    def backward(self, grad):
        if self.x is None:
            raise mf.StateError("call forward first")
        self.W.grad[...] = np.einsum("im,jm->ij", grad, self.x)
        self.b.grad[...] = grad.sum(axis=1)
        return np.einsum("ij,im->jm", self.W.value, grad)

    def parameters(self):
        return [self.W, self.b]
'''
)

RELEASES_CACHE = (
    dense()
    .replace("        return DX_PLACEHOLDER", "")
    .replace(
        "        self.W.grad[...] = grad @ self.a_prev.T",
        "        a_prev, self.a_prev = self.a_prev, None  # released, as minifw's own layers do\n"
        "        self.W.grad[...] = grad @ a_prev.T",
    )
)

GRAD_ASSIGNED = dense().replace("self.W.grad[...] =", "self.W.grad =").replace("self.b.grad[...] =", "self.b.grad =")

KEYWORDS = (
    HEAD
    + '''
class DenseLayer(mf.Layer):
    """Keyword sizes with defaults for the rest, a seed, matmul, grads through [:]."""

    def __init__(self, n_inputs, n_neurons, seed=0, scale=0.01):
        rng = np.random.default_rng(seed)
        self.W = mf.Parameter(scale * rng.standard_normal((n_neurons, n_inputs)), name="W")
        self.b = mf.Parameter(np.zeros((n_neurons, 1)), name="b")
        self.inputs = None

    def forward(self, inputs):
        self.inputs = np.array(inputs, copy=True)
        return np.matmul(self.W.value, inputs) + self.b.value

    def backward(self, dvalues):
        if self.inputs is None:
            raise RuntimeError("forward must be called before backward")
        self.W.grad[:] = np.matmul(dvalues, self.inputs.T)
        self.b.grad[:] = np.sum(dvalues, axis=1, keepdims=True)
        return np.matmul(self.W.value.T, dvalues)

    def parameters(self):
        return [self.W, self.b]
'''
)

GRADS_ELSEWHERE = dense().replace("self.W.grad[...] = ", "self.dW = ").replace("self.b.grad[...] = ", "self.db = ")

ONLY_W_LISTED = dense().replace("return [self.W, self.b]", "return [self.W]")

TRANSPOSE_BACK = dense(dW="grad @ self.a_prev.T").replace(
    "        self.W.grad[...] = grad @ self.a_prev.T",
    "        dW = self.a_prev @ grad.T\n"
    "        if dW.shape != self.W.value.shape:\n"
    "            dW = dW.T\n"
    "        self.W.grad[...] = dW",
)

W_WHERE_FITS = dense(dx="self.W.value @ grad if self.W.value.shape[1] == grad.shape[0] else self.W.value.T @ grad")

LOGISTIC = (
    HEAD
    + '''
class Logistic(mf.Layer):
    """Another name, no elementwise flag, the output cached as self.out."""

    def forward(self, z):
        self.out = 1 / (1 + np.exp(-z))
        return self.out

    def backward(self, dout):
        s = self.out
        return dout * s * (1 - s)
'''
)

SIGMOID_NEGATED = (
    HEAD
    + '''
class SigmoidLayer(mf.Layer):
    """σ(−z), with the backward that matches it: consistent, and wrong."""

    elementwise = True

    def forward(self, z):
        self.a = 1.0 / (1.0 + np.exp(z))
        return self.a

    def backward(self, da):
        return -da * self.a * (1.0 - self.a)
'''
)

SIGMOID_IN_PLACE = (
    HEAD
    + '''
class Sigmoid(mf.Layer):
    """Right values, computed in the caller's array to save memory."""

    kind = "sigmoid"
    elementwise = True

    def forward(self, z):
        np.negative(z, out=z)
        np.exp(z, out=z)
        z += 1.0
        np.reciprocal(z, out=z)
        self.a = z
        return z

    def backward(self, da):
        return da * self.a * (1.0 - self.a)
'''
)

STABLE_SIGMOID = sigmoid(
    forward="np.where(x >= 0, 1.0 / (1.0 + np.exp(-np.abs(x))), np.exp(-np.abs(x)) / (1.0 + np.exp(-np.abs(x))))"
)

CROSS_ENTROPY = (
    HEAD
    + '''
class CrossEntropy(mf.Loss):
    """np.mean over the (1, m) batch, the cache as a tuple."""

    def forward(self, y_hat, y):
        self.saved = (y_hat, y)
        return float(-np.mean(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat)))

    def backward(self):
        y_hat, y = self.saved
        return (y_hat - y) / (y_hat * (1 - y_hat)) / y.shape[1]
'''
)

RECOMPUTES = (
    HEAD
    + '''
class Sigmoid(mf.Layer):
    """Caches z; backward computes σ(z) again."""

    kind = "sigmoid"
    elementwise = True

    def __init__(self):
        self.z = None

    def forward(self, z):
        self.z = z.copy()
        return 1 / (1 + np.exp(-z))

    def backward(self, da):
        if self.z is None:
            raise mf.StateError("forward first")
        s = 1 / (1 + np.exp(-self.z))
        return da * s * (1 - s)
'''
)

UPDATES_IN_BACKWARD = dense().replace(
    "        return self.W.value.T @ grad",
    "        da_prev = self.W.value.T @ grad\n"
    "        self.W.value[...] -= 0.1 * self.W.grad  # the update, in backward\n"
    "        self.b.value[...] -= 0.1 * self.b.grad\n"
    "        return da_prev",
)

OUT_IN_ORDER = (
    HEAD
    + '''
class Layer(mf.Layer):
    """Sizes given as (n_out, n_in), the order of W's shape."""

    def __init__(self, n_out, n_in):
        self.W = mf.Parameter(np.random.default_rng(5).normal(size=(n_out, n_in)) / np.sqrt(n_in), name="W")
        self.b = mf.Parameter(np.zeros((n_out, 1)), name="b")
        self.a_prev = None

    def forward(self, a_prev):
        self.a_prev = a_prev
        return self.W.value @ a_prev + self.b.value

    def backward(self, dz):
        if self.a_prev is None:
            raise mf.StateError("Layer.backward() before forward(). Fix: call forward first")
        self.W.grad[...] = dz @ self.a_prev.T
        self.b.grad[...] = dz.sum(axis=1, keepdims=True)
        return self.W.value.T @ dz

    def parameters(self):
        return [self.W, self.b]
'''
)

CORPUS = [
    Submission("dense_skeleton", "the Dense skeleton filled in", dense(), None, "pass"),
    Submission(
        "dense_weights_bias",
        "from scratch: weights/bias, cache in self.x",
        WEIGHTS_BIAS.replace("FORWARD", "self.weights.value @ x + self.bias.value"),
        "dense",
        "pass",
        advice=("backward before forward",),
    ),
    Submission(
        "dense_weights_bias_no_b",
        "from scratch: weights/bias, forward drops b",
        WEIGHTS_BIAS.replace("FORWARD", "self.weights.value @ x"),
        "dense",
        "fail",
        ("forward computes z", "∂J/∂b"),
        ("backward before forward",),
    ),
    Submission(
        "dense_params_dict",
        "parameters in a dict, np.dot, x copied",
        PARAMS_DICT,
        "dense",
        "pass",
        advice=("backward before forward",),
    ),
    Submission("dense_bias_1d", "b as a 1-D vector, einsum", BIAS_1D, None, "pass"),
    Submission("dense_releases_cache", "releases its cache after backward", RELEASES_CACHE, None, "pass"),
    Submission("dense_grad_assigned", "W.grad = ... (a new array)", GRAD_ASSIGNED, None, "pass"),
    Submission("dense_keywords", "keyword sizes, matmul, RuntimeError of its own", KEYWORDS, "dense", "pass"),
    Submission(
        "dense_plain_numpy",
        "plain NumPy attributes, dW and db",
        PLAIN_NUMPY,
        None,
        "fail",
        ("gradients reach parameters()",),
        ("backward before forward",),
    ),
    Submission(
        "dense_grads_elsewhere",
        "Parameters, but the gradients in self.dW, self.db",
        GRADS_ELSEWHERE,
        None,
        "fail",
        ("gradients reach parameters()",),
    ),
    Submission(
        "dense_only_W_listed", "parameters() forgets b", ONLY_W_LISTED, None, "fail", ("gradients reach parameters()",)
    ),
    Submission(
        "dense_transposed_back",
        "dW = a_prev dzᵀ, transposed back when the shape does not fit",
        TRANSPOSE_BACK,
        None,
        "fail",
        ("∂J/∂W",),
    ),
    Submission("dense_W_where_fits", "W dz wherever it fits", W_WHERE_FITS, None, "fail", ("∂J/∂a_prev",)),
    Submission(
        "dense_db_mean", "∂J/∂b averaged", dense(db="grad.mean(axis=1, keepdims=True)"), None, "fail", ("∂J/∂b",)
    ),
    Submission("dense_db_sum_all", "∂J/∂b = the sum of all of dz", dense(db="np.sum(grad)"), None, "fail", ("∂J/∂b",)),
    Submission(
        "dense_dW_over_m",
        "∂J/∂W with a second 1/m",
        dense(dW="grad @ self.a_prev.T / grad.shape[1]"),
        None,
        "fail",
        ("∂J/∂W",),
    ),
    Submission(
        "dense_dW_sign", "∂J/∂W with the update's minus", dense(dW="-(grad @ self.a_prev.T)"), None, "fail", ("∂J/∂W",)
    ),
    Submission(
        "dense_plus_equals",
        "gradients added up (+=)",
        dense().replace("grad[...] =", "grad[...] +="),
        None,
        "fail",
        ("set, not added up",),
    ),
    Submission(
        "dense_stale_cache",
        "caches the first batch only",
        dense().replace("        self.a_prev = x\n", "        if self.a_prev is None:\n            self.a_prev = x\n"),
        None,
        "fail",
        ("cache follows forward",),
    ),
    Submission("dense_out_in_order", "sizes given as (n_out, n_in)", OUT_IN_ORDER, "dense", "pass"),
    Submission(
        "dense_updates_in_backward",
        "backward also updates W and b",
        UPDATES_IN_BACKWARD,
        None,
        "fail",
        ("parameters unchanged",),
        ("result is the caller's",),
    ),
    Submission(
        "dense_no_return",
        "backward forgets its return",
        dense(dx="None"),
        None,
        "fail",
        ("∂J/∂a_prev", "set, not added up", "cache follows forward"),
        ("result is the caller's",),
    ),
    Submission("sigmoid_skeleton", "the Sigmoid skeleton filled in", sigmoid(), None, "pass"),
    Submission(
        "sigmoid_grad_in_place",
        "backward multiplies da in place and returns it",
        sigmoid(backward="np.multiply(grad, self.a * (1.0 - self.a), out=grad)"),
        None,
        "pass",
        advice=("upstream unchanged",),
    ),
    Submission(
        "sigmoid_tanh_form", "σ(z) = (1 + tanh(z/2))/2", sigmoid(forward="0.5 * (1.0 + np.tanh(0.5 * x))"), None, "pass"
    ),
    Submission("sigmoid_stable", "a numerically stable σ with np.where", STABLE_SIGMOID, None, "pass"),
    Submission("sigmoid_recomputes", "caches z, computes σ again in backward", RECOMPUTES, None, "pass"),
    Submission(
        "sigmoid_clipped",
        "z clipped to ±500 before exp",
        sigmoid(forward="1.0 / (1.0 + np.exp(-np.clip(x, -500, 500)))"),
        None,
        "pass",
    ),
    Submission(
        "sigmoid_logistic",
        "from scratch: Logistic, self.out, no guard",
        LOGISTIC,
        "sigmoid",
        "pass",
        advice=("backward before forward",),
    ),
    Submission(
        "sigmoid_negated",
        "σ(−z) with a matching backward",
        SIGMOID_NEGATED,
        "sigmoid",
        "fail",
        ("forward computes a",),
        ("backward before forward",),
    ),
    Submission(
        "sigmoid_in_place",
        "right values, computed in the caller's z",
        SIGMOID_IN_PLACE,
        None,
        "fail",
        ("input unchanged",),
        ("backward before forward",),
    ),
    Submission(
        "sigmoid_from_z",
        "σ' from z: z(1 - z)",
        sigmoid(backward="grad * x_saved * (1.0 - x_saved)")
        .replace("        self.a = 1.0", "        self.x_saved = x.copy()\n        self.a = 1.0")
        .replace("x_saved * (1.0 - x_saved)", "self.x_saved * (1.0 - self.x_saved)"),
        None,
        "fail",
        ("∂J/∂z",),
    ),
    Submission("sigmoid_no_D", "returns da unchanged", sigmoid(backward="grad"), None, "fail", ("∂J/∂z",)),
    Submission(
        "bce_skeleton", "the BCE skeleton filled in with np.log", bce(), None, "pass", advice=("where σ saturates",)
    ),
    Submission(
        "bce_clipped",
        "a clipped before the logs",
        bce(
            forward="float(-np.sum(y * np.log(np.clip(a, 1e-12, 1)) + (1 - y) * np.log(np.clip(1 - a, 1e-12, 1))) / m)",
            backward="(-y / np.clip(a, 1e-12, 1) + (1 - y) / np.clip(1 - a, 1e-12, 1)) / m",
        ),
        None,
        "pass",
    ),
    Submission(
        "bce_log1p",
        "log1p(-a) for log(1 - a)",
        bce(forward="float(-(y * np.log(a) + (1 - y) * np.log1p(-a)).sum() / m)"),
        None,
        "pass",
        advice=("where σ saturates",),
    ),
    Submission(
        "bce_cross_entropy",
        "from scratch: np.mean, cache as a tuple",
        CROSS_ENTROPY,
        "bce",
        "pass",
        advice=("where σ saturates", "backward before forward"),
    ),
    Submission(
        "bce_no_minus",
        "J and ∂J/∂a without the minus",
        bce(
            forward="float(np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)) / m)",
            backward="(y / a - (1 - y) / (1 - a)) / m",
        ),
        None,
        "fail",
        ("J at three points", "∂J/∂a", "with Sigmoid"),
        ("where σ saturates",),
    ),
    Submission(
        "bce_grad_no_1_over_m",
        "∂J/∂a without its 1/m",
        bce(backward="-y / a + (1 - y) / (1 - a)"),
        None,
        "fail",
        ("∂J/∂a", "with Sigmoid"),
        ("where σ saturates",),
    ),
    Submission(
        "bce_returns_dz",
        "returns (a - y)/m, ∂J/∂z for ∂J/∂a",
        bce(backward="(a - y) / m"),
        None,
        "fail",
        ("∂J/∂a", "with Sigmoid"),
        ("where σ saturates",),
    ),
    Submission(
        "bce_sum",
        "J summed, not averaged",
        bce(forward="float(-np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)))", backward="-y / a + (1 - y) / (1 - a)"),
        None,
        "fail",
        ("J at three points", "1/m convention", "∂J/∂a", "with Sigmoid"),
        ("where σ saturates",),
    ),
    Submission("syntax_error", "does not parse", HEAD + "class Dense(mf.Layer:\n    pass\n", "dense", "error"),
    Submission(
        "raises_at_import", "raises when imported", HEAD + "W = np.ones((2, 2)) @ np.ones((3, 3))\n", "dense", "error"
    ),
]
