"""check_layer: a layer's forward and backward held to the slides, with the slip named when one is off."""

import copy

import numpy as np
from attrs import define

from ..array import Array
from ..errors import NotALayerError, ShapeError, ValueRangeError
from ..io.architecture import named_parameters
from ..layers.layer import Layer
from ..layers.sigmoid import sigmoid
from ..training.gradient_check import DEFAULTS, central_differences
from ..validation import check_batch, check_finite, check_same_shape, generator
from .instances import new_instance
from .report import Check, CheckReport
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


def slide_names(layer: Layer, x: Array) -> Names:
    """Which slide layer ``layer`` is: by its parameters (W and b of a Dense), or by its class's name (a Sigmoid).

    A Sigmoid is a class named ``Sigmoid``, or a subclass of one, with no parameters.
    """
    params = {p.name: p.value.shape for p in layer.parameters()}
    d_in = x.shape[0]
    W_shape = params.get("W", ())
    if len(params) == 2 and len(W_shape) == 2 and W_shape[1] == d_in and params.get("b") == (W_shape[0], 1):
        return Names(
            "dense",
            "a_prev",
            "z",
            "dz",
            "z = b + W a_prev",
            {"W": "∂J/∂W = dz (a_prev)ᵀ", "b": "∂J/∂b = dz summed over the m columns", "x": "∂J/∂a_prev = Wᵀ dz"},
        )
    if layer.elementwise and not params and any(cls.__name__ == "Sigmoid" for cls in type(layer).__mro__):
        return Names("sigmoid", "z", "a", "da", "a = σ(z)", {"x": "∂J/∂z = da ⊙ a ⊙ (1 − a)"})
    names = gradient_names(layer)
    gradients = {name: f"∂J/∂{name} = derivative of Σ dout ⊙ forward(x)" for name in names}
    gradients["x"] = "∂J/∂x = derivative of Σ dout ⊙ forward(x)"
    return Names("layer", "x", "out", "dout", "forward(x) returns a (d, m) float array", gradients)


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
    frees what it saved): a second ``backward`` is then a ``RuntimeError`` (such as
    :class:`minifw.StateError`), and the layer gets its ``forward(x)`` again first.
    """
    try:
        return run_backward(layer, grad.copy())
    except RuntimeError:
        pass
    layer.forward(x.copy())
    return run_backward(layer, grad.copy())


def gradients(layer: Layer) -> dict[str, Array]:
    """Each parameter's grad, copied, by the parameter's name (see :func:`gradient_names`)."""
    params = layer.parameters()
    return {name: p.grad.astype(np.float64) for name, p in zip(gradient_names(layer), params, strict=True)}


def gradient_names(layer: Layer) -> list[str]:
    """The parameters' own names where they are distinct (``W``, ``b``), else as a model file names them (``W1``,
    ``b1``, ``W1_2``...)."""
    names = [p.name for p in layer.parameters()]
    return names if all(names) and len(set(names)) == len(names) else list(named_parameters([layer]))


class LayerChecks:
    """The checks of :func:`check_layer`, each on its own copy of the layer, so that none disturbs another."""

    def __init__(self, layer: Layer, x: Array, rng: np.random.Generator) -> None:
        self.template = copy.deepcopy(layer)
        for p in self.template.parameters():  # b = 0 at initialisation would hide a missing or misplaced b
            if not p.value.any():
                p.value[...] = rng.normal(size=p.shape)
        self.x, self.m, self.rng = x, x.shape[1], rng
        self.names = slide_names(self.template, x)
        self.checks: list[Check] = []
        self.out: Array | None = None
        self.tolerance = Tolerance(DEFAULTS["float64"][1], DEFAULTS["float64"][2])
        self.step = DEFAULTS["float64"][0]

    def fresh(self) -> Layer:
        """A new copy of the layer as given (never forwarded by these checks), asked for ∂J/∂x (``input_grad``)."""
        layer = copy.deepcopy(self.template)
        layer.input_grad = True
        return layer

    def add(
        self, name: str, equation: str, passed: bool | None, max_error: float | None = None, hint: str = ""
    ) -> None:
        self.checks.append(Check(name, equation, passed, max_error, hint))

    def forward_result(self) -> bool:
        """forward returns a float (d, m) array of the promised shape and dtype, and leaves x unchanged."""
        names, x = self.names, self.x.copy()
        layer = self.fresh()
        params = layer.parameters()
        dtype = params[0].value.dtype if params else np.dtype(np.float64)
        rows = self.promised_rows(layer)
        promised = f"({rows if rows is not None else 'd'}, {self.m}) {dtype}"
        name = f"forward returns {names.out}"
        try:
            out = layer.forward(x)
        except Exception as error:
            self.add(name, f"{names.forward}: {promised}", False, hint=raised("forward", error))
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
        self.add(name, f"{names.forward}: {promised}", not problem, hint=problem)
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
        """The number of rows forward promises: x's for an elementwise layer, ``out_features`` or W's, else None."""
        if layer.elementwise:
            return int(self.x.shape[0])
        if self.names.kind == "dense":
            return next(int(p.shape[0]) for p in layer.parameters() if p.name == "W")
        out_features = getattr(layer, "out_features", None)
        return out_features if isinstance(out_features, int) else None

    def forward_equation(self, layer: Layer, out: Array) -> None:
        """For a slide layer, forward's values against the slide's equation."""
        x, names = self.x, self.names
        if names.kind == "dense":
            params = {p.name: p.value.astype(np.float64) for p in layer.parameters()}
            W, b = params["W"], params["b"]
            right: Array = b + W @ x
            slips = [
                Slip(W @ x, "z misses b: the slide's z = b + W a_prev adds b to every column."),
                Slip(-right, "z has the wrong sign: z = b + W a_prev."),
                Slip(b - W @ x, "W a_prev has the wrong sign: z = b + W a_prev."),
            ]
            if W.shape[0] == W.shape[1]:
                slips.append(Slip(b + W.T @ x, "z uses Wᵀ a_prev; the slide's is z = b + W a_prev."))
        elif names.kind == "sigmoid":
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
        """A new layer of the class given (with W's sizes for a Dense), or a copy of the given one; True for a copy."""
        W_shape = next((p.shape for p in self.template.parameters() if p.name == "W"), (0, 0))
        try:
            layer = new_instance(type(self.template), (W_shape[1], W_shape[0]))
        except Exception:  # a constructor that needs more: the one given, which should not have run forward
            return self.fresh(), True
        layer.input_grad = True
        return layer, False

    def numeric(self, upstream: Array) -> dict[str, Array]:
        """ĝ for every parameter and for x: central differences of J = Σ upstream ⊙ forward(x)."""
        layer, x = self.fresh(), self.x.copy()

        def cost() -> float:
            return float(np.sum(upstream * np.asarray(layer.forward(x), dtype=np.float64)))

        params = layer.parameters()
        names = list(gradients(layer))
        result = {name: central_differences(p.value, cost, self.step) for name, p in zip(names, params, strict=True)}
        result["x"] = central_differences(x, cost, self.step)
        return result

    def slips(self, name: str, right: Array, upstream: Array, layer: Layer) -> list[Slip]:
        """The slips to try for gradient ``name`` (a parameter or ``x``), slide-specific ones first."""
        names, x, m = self.names, self.x, self.m
        gradient, equation = names.gradient(name), names.gradients[name]
        slips: list[Slip] = []
        if names.kind == "dense" and name == "b":
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
        if names.kind == "dense" and name == "x":
            W = {p.name: p.value for p in layer.parameters()}["W"].astype(np.float64)
            if W.shape[0] == W.shape[1]:
                slips.append(Slip(W @ upstream, "∂J/∂a_prev is W dz; the slide's is Wᵀ dz ((W^[2])ᵀ on the slides)."))
        if names.kind == "dense" and name == "W" and right.shape[0] == right.shape[1]:
            slips.append(
                Slip(
                    right.T,
                    "∂J/∂W is the transpose of the right one: a_prev dzᵀ. The slide's ∂J/∂W = dz (a_prev)ᵀ has "
                    "the shape of W, (d_l, d_{l-1}).",
                )
            )
        if names.kind == "sigmoid":
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
        if names.kind == "layer" and name == "x" and layer.elementwise:
            slips.append(Slip(upstream, "backward returned dout unchanged: multiply it by the derivative of forward."))
        return slips + scale_slips(right, gradient, equation, m, names.up)

    def gradient_checks(self) -> bool:
        """∂J/∂x and every ∂J/∂θ from one backward against central differences; True when backward ran."""
        if self.out is None:  # only called after a forward that worked
            return False
        upstream = self.rng.normal(size=self.out.shape)
        numeric = self.numeric(upstream)
        layer, given = self.fresh(), upstream.copy()
        layer.forward(self.x.copy())
        names = self.names
        try:
            dx: Array | None = run_backward(layer, given)
            failure: BaseException | None = None
        except Exception as error:
            dx, failure = None, error
        analytic = gradients(layer)
        if dx is not None:
            analytic["x"] = dx
        for name, right in numeric.items():
            label, equation = names.gradient(name), names.gradients[name]
            g = analytic.get(name)
            if g is not None and g.shape != right.shape:
                hint = f"{label} has shape {g.shape}; {equation} has shape {right.shape}."
                if g.shape == right.shape[::-1]:
                    hint += " It is transposed."
                self.add(label, equation, False, hint=hint)
            elif g is not None and self.tolerance.close(g, right):
                self.add(label, equation, True, self.tolerance.error(g, right))
            elif failure is not None:
                self.add(label, equation, False, hint=self.failure_hint(name, failure, analytic, numeric))
            elif g is not None:
                found = find_slip(g, right, self.slips(name, right, upstream, layer), self.tolerance)
                hint = (
                    found or f"backward disagrees with central differences of forward {self.tolerance.worst(g, right)}."
                )
                if found is None and names.kind != "layer":
                    hint += f" The slide: {equation}."
                self.add(label, equation, False, self.tolerance.error(g, right), hint)
        changed = not np.array_equal(given, upstream)
        self.add(
            "upstream unchanged",
            f"backward leaves {names.up} as it was",
            not changed,
            hint=f"backward changed {names.up} in place. Compute into a new array." if changed else "",
        )
        return failure is None

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
        if right.shape[0] != right.shape[1] and right.shape[::-1] in shapes:
            return f"{message} {label} came out transposed, {right.shape[::-1]}: {equation} has shape {right.shape}."
        if names.kind == "dense" and name == "b" and m > 1 and (right.shape[0], m) in shapes:
            return (
                f"{message} ∂J/∂b came out with dz's shape {(right.shape[0], m)}: sum over the m columns, "
                f"dz.sum(axis=1, keepdims=True), shape {right.shape}."
            )
        others = [other for other in numeric if other != "x"]
        if name == "x" and others and all(self.tolerance.close(analytic[o], numeric[o]) for o in others):
            if names.kind == "dense":
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
        first = gradients(layer)
        dx2 = backward_again(layer, self.x, upstream)
        second = gradients(layer)
        differ = [n for n in first if not self.tolerance.close(second[n], first[n])]
        added = [n for n in differ if self.tolerance.close(second[n], 2 * first[n])]
        other = [n for n in differ if n not in added]
        hint = ""
        if added:
            grads = ", ".join(f"{n}.grad" for n in added)
            hint = (
                f"the second backward gave 2 × the first for {grads}: the gradient is added to (+=) instead of set. "
                f"Each backward sets ∂J/∂θ for the last forward (Step 2): write {added[0]}.grad[...] = ..."
            )
        elif other:
            hint = f"a second backward gave other gradients for {', '.join(other)}: backward changed what it reads."
        if first:  # a layer without parameters has no gradient to set
            self.add("set, not added up", "θ.grad[...] = ∂J/∂θ, at every backward", not hint, hint=hint)
        self.cache_checks(upstream, dx1, first, dx2)

    def cache_checks(self, upstream: Array, dx1: Array, first: dict[str, Array], dx2: Array) -> None:
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
        stale = not self.tolerance.close(dx_other, dx_reference) or any(
            not self.tolerance.close(g, gradients(reference)[n]) for n, g in gradients(layer).items()
        )
        hint = ""
        if stale:
            old = self.tolerance.close(dx_other, dx1)
            hint = (
                f"after forward(x1), forward(x2), backward gave the gradients of x1: the cache kept an earlier "
                f"batch. Cache {names.x if names.kind != 'sigmoid' else 'a'} in every forward, not only in the first."
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
            "result is the caller's",
            "writing into it changes no later backward",
            repeatable and not changed,
            hint=hint,
        )


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


def check_layer(layer: Layer, x: Array, *, rng: np.random.Generator | int | None = None) -> CheckReport:
    """forward and backward of ``layer`` held to the slides; each failure names the equation and the likely slip.

    Checks, on the batch ``x`` and random upstream gradients (each check on a fresh copy of
    ``layer``, so that ``layer`` itself is left as it was):

    - ``forward`` returns a float (d, m) array of the promised shape (x's for an elementwise
      layer, ``(out_features, m)`` or W's rows for a Dense) and dtype, and leaves ``x`` unchanged;
      for a slide layer, its values are the slide's z = b + W a_prev or a = σ(z);
    - ``backward`` before ``forward`` raises a clear error (a ``RuntimeError`` such as
      :class:`minifw.StateError` that says to call forward), on a new layer of the same class
      (made with no arguments, or a Dense with its W's sizes; else on a copy of ``layer``);
    - ∂J/∂x and every ∂J/∂θ against central differences of ``forward`` (float64), for the
      cost J = Σ dout ⊙ forward(x) with a random upstream gradient dout; ``backward``
      leaves dout unchanged;
    - gradients are set by each ``backward``, not added up across calls (a second ``backward``
      gives the same gradients; a layer that releases its cache after ``backward``, as minifw's
      own do, may refuse it with a ``RuntimeError`` and gets its ``forward`` again);
    - the cache holds what ``backward`` needs: a ``forward`` on another batch in between gives
      that batch's gradients, and writing into the array ``backward`` returned does not change
      the next ``backward``.

    A failure's hint names the slide equation and, for the slide layers' typical mistakes, the
    slip, found by comparing the numbers with what each slip gives: ∂J/∂W transposed, ∂J/∂b
    not summed over the m columns (or averaged), a 1/m too many or too few, a sign error,
    σ' from z instead of a, W instead of Wᵀ in ∂J/∂a_prev, the gradient added instead of set.

    Args:
        layer: the layer to check, a :class:`minifw.Layer` (your own, or a built-in one). It is
            recognised as a ``Dense`` by its parameters ``W`` (d_l, d_{l-1}) and ``b`` (d_l, 1), and
            as a ``Sigmoid`` by its class's name; any other layer gets the checks without slide equations.
        x: a small batch, shape (d, m), with m >= 2 (with m = 1 a sum over columns and a mean
            look alike). Converted to float64.
        rng: the ``numpy.random.Generator`` (or int seed) of the upstream gradients and of the
            values given to parameters that are all zero (b = 0 would hide a missing b).

    Returns:
        A :class:`minifw.CheckReport`: ``report.ok``, one :class:`minifw.Check` per check in
        ``report.checks``, and ``print(report)`` for the lines with their hints.

    Notes:
        Central differences need a smooth forward: at a kink (ReLU at z = 0) they give the mean
        of the two slopes, so keep the entries of ``x`` away from kinks (random normal values are).

        The array ``forward`` returns may be the cache itself, as in minifw's ``Sigmoid`` (the
        slides cache a^[1] and a^[2], the outputs), so writing into it is not checked; writing
        into what ``backward`` returns is.

    Examples:
        >>> import numpy as np
        >>> import minifw as mf
        >>> report = mf.check_layer(mf.Dense(3, 4, rng=0), np.ones((3, 5)), rng=0)
        >>> report.ok
        True
    """
    if not isinstance(layer, Layer):
        message = (
            f"check_layer takes a minifw Layer, got {type(layer).__name__}. "
            "Fix: pass an instance of your layer class, e.g. check_layer(Dense(3, 4), x)."
        )
        raise NotALayerError(message)
    x_checked = float64_batch(x, "x")
    random = generator(rng, "check_layer rng", "rng", ValueRangeError)
    checks = LayerChecks(layer, x_checked, random)
    out = checks.names.out
    worked = guarded(checks.checks, (f"forward returns {out}", "input unchanged"), checks.forward_result)
    checks.backward_first()
    if not worked:
        for name in ("gradients of backward", "cache follows forward"):
            checks.add(name, "needs a forward that works (see above)", None)
    else:
        gradient_labels = [checks.names.gradient(name) for name in checks.names.gradients] + ["upstream unchanged"]
        if guarded(checks.checks, gradient_labels, checks.gradient_checks):
            later = ("set, not added up", "cache follows forward", "result is the caller's")
            guarded(checks.checks, later if checks.template.parameters() else later[1:], checks.repeat_checks)
        else:
            for name in ("cache follows forward", "result is the caller's"):
                checks.add(name, "needs a backward that runs (see above)", None)
    subject = f"check_layer: {layer!r} on {checks.names.x} of shape {x_checked.shape}"
    return CheckReport(subject, checks.checks)
