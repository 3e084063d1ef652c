"""A model's architecture as plain data (layer kinds and sizes), and parameter names W1, b1, W2, b2..."""

import re
from typing import Any

from ..layers.dense import Dense
from ..layers.layer import Layer
from ..layers.parameter import Parameter
from ..layers.sequential import Sequential
from ..layers.sigmoid import Sigmoid

LayerSpec = dict[str, Any]
"""One layer as plain data: ``{"kind": "Dense", "in_features": 3, "out_features": 4}``, ``{"kind": "Sigmoid"}``."""

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def flatten(model: Layer) -> list[Layer]:
    """The layers of ``model`` in order, with nested ``Sequential`` containers opened up."""
    if isinstance(model, Sequential):
        return [inner for layer in model.layers for inner in flatten(layer)]
    return [model]


def describe(layers: list[Layer]) -> list[LayerSpec]:
    """Each layer's kind (and sizes, for ``Dense``); your own layers also record their module."""
    specs: list[LayerSpec] = []
    for layer in layers:
        if isinstance(layer, Dense):
            specs.append({"kind": "Dense", "in_features": layer.in_features, "out_features": layer.out_features})
        elif isinstance(layer, Sigmoid):
            specs.append({"kind": "Sigmoid"})
        else:
            specs.append({"kind": type(layer).__qualname__, "module": type(layer).__module__})
    return specs


def format_architecture(specs: list[LayerSpec]) -> str:
    """``Dense(3 -> 4), Sigmoid()``: the specs as a short, readable line."""
    parts = []
    for spec in specs:
        if spec.get("kind") == "Dense":
            parts.append(f"Dense({spec.get('in_features')} -> {spec.get('out_features')})")
        else:
            parts.append(f"{spec.get('kind')}()")
    return ", ".join(parts)


def named_parameters(layers: list[Layer]) -> dict[str, Parameter]:
    """The parameters by stable name: ``name`` + l, where l counts the layers that have parameters.

    ``Sequential(Dense, Sigmoid, Dense, Sigmoid)`` gives ``W1, b1, W2, b2``, the slides'
    W^[1], b^[1], W^[2], b^[2]. A parameter whose ``name`` is empty or not an identifier
    is called ``theta``; a name repeated within one layer gets ``_2``, ``_3``... appended.
    """
    named: dict[str, Parameter] = {}
    number = 0  # the slides' l, counting only layers with parameters
    for layer in layers:
        parameters = layer.parameters()
        if not parameters:
            continue
        number += 1
        for p in parameters:
            base = f"{p.name if _NAME.fullmatch(p.name) else 'theta'}{number}"
            name, k = base, 1
            while name in named:
                k += 1
                name = f"{base}_{k}"
            named[name] = p
    return named


def same_architecture(a: list[LayerSpec], b: list[LayerSpec]) -> bool:
    """Whether two architectures have the same layer kinds and sizes (modules aside: a class saved
    from a notebook's ``__main__`` loads into the same class imported from a module)."""

    def key(spec: LayerSpec) -> tuple[Any, ...]:
        return (spec.get("kind"), spec.get("in_features"), spec.get("out_features"), "module" in spec)

    return [key(spec) for spec in a] == [key(spec) for spec in b]


def build(specs: list[LayerSpec], dtype: Any) -> Sequential:
    """A new ``Sequential`` of built-in layers from ``specs`` (checked by the caller)."""
    layers: list[Layer] = []
    for spec in specs:
        if spec["kind"] == "Dense":
            layers.append(Dense(spec["in_features"], spec["out_features"], rng=0, dtype=dtype))
        else:
            layers.append(Sigmoid())
    return Sequential(*layers)
