"""A model's architecture as plain data (layer kinds and sizes), and parameter names W1, b1, W2, b2..."""

import re
from typing import Any

import numpy as np

from ..data.standardizer import Standardizer
from ..layers.dense import Dense
from ..layers.layer import Layer
from ..layers.parameter import Parameter
from ..layers.sequential import Sequential
from ..layers.sigmoid import Sigmoid

LayerSpec = dict[str, Any]
"""One layer as plain data: ``{"kind": "Dense", "in_features": 3, "out_features": 4}``, ``{"kind": "Sigmoid"}``,
``{"kind": "Standardizer", "mean": [...], "std": [...]}`` (μ and σ of each feature, as JSON numbers: a float's
shortest repr, which reads back to the same float)."""

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def flatten(model: Layer) -> list[Layer]:
    """The layers of ``model`` in order, with nested ``Sequential`` containers opened up."""
    if isinstance(model, Sequential):
        return [inner for layer in model.layers for inner in flatten(layer)]
    return [model]


def describe(layers: list[Layer]) -> list[LayerSpec]:
    """Each layer's kind (and sizes, for ``Dense``; μ and σ, for a fitted ``Standardizer``); your own layers also
    record their module. A ``Standardizer`` that is not fitted is ``{"kind": "Standardizer"}``, which
    :func:`minifw.save` refuses to write."""
    specs: list[LayerSpec] = []
    for layer in layers:
        if isinstance(layer, Dense):
            specs.append({"kind": "Dense", "in_features": layer.in_features, "out_features": layer.out_features})
        elif isinstance(layer, Sigmoid):
            specs.append({"kind": "Sigmoid"})
        elif isinstance(layer, Standardizer):
            if layer.mean is None or layer.std is None:
                specs.append({"kind": "Standardizer"})
            else:
                mean, std = (np.asarray(a, dtype=np.float64).ravel().tolist() for a in (layer.mean, layer.std))
                specs.append({"kind": "Standardizer", "mean": mean, "std": std})
        else:
            specs.append({"kind": type(layer).__qualname__, "module": type(layer).__module__})
    return specs


def format_architecture(specs: list[LayerSpec]) -> str:
    """``Dense(3 -> 4), Sigmoid()``: the specs as a short, readable line."""
    parts = []
    for spec in specs:
        if spec["kind"] == "Dense" and "module" not in spec:
            parts.append(f"Dense({spec['in_features']} -> {spec['out_features']})")
        elif spec["kind"] == "Standardizer" and "module" not in spec:
            parts.append(
                f"Standardizer({len(spec['mean'])} features)" if "mean" in spec else "Standardizer(not fitted)"
            )
        else:
            parts.append(f"{spec['kind']}()")
    return ", ".join(parts)


def input_width(specs: list[LayerSpec]) -> int | None:
    """d0, how many features a model takes: its first Dense's ``in_features`` or fitted Standardizer's size, or None
    if not known (a layer of your own comes first). For a model: ``input_width(describe(flatten(model)))``."""
    for spec in specs:
        if spec["kind"] == "Dense" and "module" not in spec:
            return int(spec["in_features"])
        if spec["kind"] == "Standardizer" and "mean" in spec:
            return len(spec["mean"])
        if spec["kind"] != "Sigmoid":
            return None
    return None


def named_parameters(layers: list[Layer]) -> dict[str, Parameter]:
    """The parameters by stable name: ``name`` + l, where l counts the layers that have parameters.

    ``Sequential(Dense, Sigmoid, Dense, Sigmoid)`` gives ``W1, b1, W2, b2``, the slides'
    W^[1], b^[1], W^[2], b^[2]. A parameter whose ``name`` is empty or not an identifier
    is called ``theta``; a name repeated within one layer gets ``_2``, ``_3``... appended.
    """
    named: dict[str, Parameter] = {}
    per_layer = [parameters for layer in layers if (parameters := layer.parameters())]
    for number, parameters in enumerate(per_layer, start=1):  # the slides' l, counting only layers with parameters
        for p in parameters:
            base = f"{p.name if _NAME.fullmatch(p.name) else 'theta'}{number}"
            name, k = base, 1
            while name in named:
                k += 1
                name = f"{base}_{k}"
            named[name] = p
    return named


def same_architecture(saved: list[LayerSpec], model: list[LayerSpec]) -> bool:
    """Whether the architecture ``saved`` in a file fits ``model``'s: the same layer kinds and sizes (modules aside: a
    class saved from a notebook's ``__main__`` loads into the same class imported from a module).

    A Standardizer of the model fits a saved one of as many features; one that is not fitted yet fits any (loading
    gives it the saved μ and σ); any fits a Standardizer saved without μ and σ by an older minifw.
    """
    return len(saved) == len(model) and all(_fits(file, ours) for file, ours in zip(saved, model, strict=True))


def _fits(saved: LayerSpec, model: LayerSpec) -> bool:
    """Whether one layer ``saved`` in a file fits the model's layer there (as :func:`same_architecture` says)."""
    if model["kind"] != "Standardizer" or "module" in model:
        same = all(saved.get(key) == model.get(key) for key in ("kind", "in_features", "out_features"))
        return same and ("module" in saved) == ("module" in model)
    if saved == {"kind": "Standardizer", "module": Standardizer.__module__}:
        return True  # saved without μ and σ by an older minifw
    if saved["kind"] != "Standardizer" or "module" in saved:
        return False
    return "mean" not in model or len(saved["mean"]) == len(model["mean"])  # one not fitted yet fits any size


def build(specs: list[LayerSpec], dtype: Any) -> Sequential:
    """A new ``Sequential`` of built-in layers from ``specs`` (checked by the caller)."""
    layers: list[Layer] = []
    for spec in specs:
        if spec["kind"] == "Dense":
            layers.append(Dense(spec["in_features"], spec["out_features"], rng=0, dtype=dtype))
        elif spec["kind"] == "Standardizer":
            layers.append(standardizer(spec))
        else:
            layers.append(Sigmoid())
    return Sequential(*layers)


def standardizer(spec: LayerSpec) -> Standardizer:
    """The Standardizer of a checked ``{"kind": "Standardizer", "mean": [...], "std": [...]}``: μ and σ as (d0, 1)."""
    mean, std = (np.array(spec[key], dtype=np.float64).reshape(-1, 1) for key in ("mean", "std"))
    return Standardizer(mean, std)
