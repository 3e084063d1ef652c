"""Where a layer keeps its arrays, whatever their names: a Dense's W and b found by their shapes and effect.

A path leads from a layer to one of its float arrays: ``parameters()[0].value``, ``self.weights``,
``self.params['W']``, ``self.grads['b']``... Paths found on one copy of a layer lead to the same
arrays on another copy, so each check can run on its own copy.
"""

import copy
from collections.abc import Iterator

import numpy as np

from ..array import Array
from ..layers.layer import Layer
from ..layers.parameter import Parameter

Step = tuple[str, object]
"""``("p", i)``: parameters()[i]; ``("a", name)``: an attribute; ``("k", key)``, ``("i", index)``: an item;
``("v", None)``, ``("g", None)``: a Parameter's value or grad."""
Path = tuple[Step, ...]


class NotFoundError(LookupError):
    """A slide parameter that the layer does not hold; the message says which shape was looked for."""


def arrays_in(layer: Layer) -> Iterator[tuple[Path, Array]]:
    """Every float array the layer holds, with its path: parameters() first, then attributes (one level in)."""
    try:
        params = list(layer.parameters())
    except Exception:  # parameters() is checked elsewhere; here it only says where the arrays are
        params = []
    for index, param in enumerate(params):
        yield from _visit((("p", index),), param, deep=False)
    for name, value in list(getattr(layer, "__dict__", {}).items()):
        yield from _visit((("a", name),), value, deep=True)


def _visit(path: Path, value: object, deep: bool) -> Iterator[tuple[Path, Array]]:
    if isinstance(value, Parameter):
        yield (*path, ("v", None)), value.value
        yield (*path, ("g", None)), value.grad
    elif isinstance(value, np.ndarray) and value.dtype.kind == "f":
        yield path, value
    elif deep and isinstance(value, dict):
        for key, item in list(value.items()):
            yield from _visit((*path, ("k", key)), item, deep=False)
    elif deep and isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _visit((*path, ("i", index)), item, deep=False)


def resolve(layer: Layer, path: Path) -> Array:
    """The array at ``path`` in ``layer``; a LookupError when it is not there (or not an array)."""
    value: object = layer
    for step, key in path:
        if step == "p":
            value = list(layer.parameters())[int(str(key))]  # key is an int for "p"
        elif step == "a":
            value = getattr(value, str(key))
        elif step in ("k", "i"):
            value = value[key]  # type: ignore[index]  # a dict, list or tuple
        elif step == "v":
            value = value.value  # type: ignore[attr-defined]  # a Parameter
        else:
            value = value.grad  # type: ignore[attr-defined]  # a Parameter
    if not isinstance(value, np.ndarray):
        raise LookupError(f"{describe(path)} is {type(value).__name__}, not an array")
    return value


def describe(path: Path) -> str:
    """The path as code: ``self.W.grad``, ``parameters()[0].value``, ``self.params['W']``."""
    text = "self"
    for step, key in path:
        text += {
            "p": f".parameters()[{key}]",
            "a": f".{key}",
            "k": f"[{key!r}]",
            "i": f"[{key}]",
            "v": ".value",
            "g": ".grad",
        }[step]
    return text.replace("self.parameters()", "parameters()")


def listed(path: Path) -> bool:
    """Whether the path is a parameter's value in ``parameters()``, where GradientDescent finds it."""
    return path[0][0] == "p"


def gradient_named(path: Path) -> bool:
    """Whether the last name on the path reads like a gradient (``dW``, ``grad_b``, ``W_grad``, ``.grad``)."""
    step, key = path[-1]
    if step == "g":
        return True
    name = str(key).lower()
    return "grad" in name or (name.startswith("d") and len(name) <= 3)


def forward_copy(layer: Layer, x: Array) -> Array | None:
    """``forward(x)`` of ``layer`` (a copy, to be thrown away) as float64, or None when it raises."""
    try:
        return np.array(layer.forward(x.copy()), dtype=np.float64)
    except Exception:
        return None


def find_parameter(
    template: Layer, x: Array, shapes: list[tuple[int, ...]], exclude: list[Array], rng: np.random.Generator
) -> Path:
    """The path of the array of one of ``shapes`` that forward reads (changing it changes the output).

    Among several arrays of the shape (W and dW, b and db), the one forward reads; when none can be
    told (forward raises), the first whose name does not read like a gradient.
    """
    seen: set[int] = {id(array) for array in exclude}
    candidates: list[Path] = []
    for path, array in arrays_in(template):
        if array.shape in shapes and id(array) not in seen and path[-1][0] != "g":
            seen.add(id(array))
            candidates.append(path)
    if not candidates:
        raise NotFoundError(" or ".join(str(shape) for shape in shapes))
    base = forward_copy(copy.deepcopy(template), x)
    for path in candidates:
        layer = copy.deepcopy(template)
        array = resolve(layer, path)
        if not array.flags.writeable:  # not a parameter: nothing could update it
            continue
        array += rng.normal(size=array.shape)
        out = forward_copy(layer, x)
        if base is not None and out is not None and out.shape == base.shape and not np.allclose(out, base):
            return path
    named = [path for path in candidates if not gradient_named(path)]
    return (named or candidates)[0]
