"""new_instance: a layer or loss of a given class made anew, as the checks and ``minifw check`` need one."""

import inspect
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def new_instance(cls: Callable[..., T], sizes: tuple[int, int]) -> T:
    """``cls()``, or ``cls(*sizes)`` when its constructor takes two arguments (a Dense's in and out features).

    Two arguments named out first, in second (``n_out, n_in``) get the sizes in that order.

    A constructor with an ``rng`` argument gets ``rng=0``. Whatever the constructor raises, this raises.
    """
    parameters = inspect.signature(cls).parameters.values()
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    required = [p for p in parameters if p.default is p.empty and p.kind in positional]
    seeded = {"rng": 0} if any(p.name == "rng" for p in parameters) else {}
    if len(required) != 2:
        return cls(**seeded)
    first, second = (p.name.lower() for p in required)
    if "out" in first and "in" in second:  # (out_features, in_features), as some write it
        sizes = (sizes[1], sizes[0])
    return cls(*sizes, **seeded)


def takes_sizes(make: Callable[..., object]) -> bool:
    """Whether ``make`` takes two positional arguments (a Dense's in and out features), as :func:`new_instance` does."""
    try:
        parameters = inspect.signature(make).parameters.values()
    except (TypeError, ValueError):  # a builtin without a signature
        return False
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return len([p for p in parameters if p.default is p.empty and p.kind in positional]) == 2
