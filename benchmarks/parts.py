"""Where the time of a training step goes, part by part: minifw against the textbook OO NumPy row.

A step is five calls: ``model.forward(X)``, ``loss.forward(a, Y)``, ``loss.backward()``,
``model.backward(grad)`` and ``opt.step()``. This script times each call on its own, for minifw and for
the textbook network of ``benchmarks/step.py`` (same data, same start), and prints one table per size:
the time of each part, and what minifw spends more (or less) than the textbook row there.

It answers "why is a step at (3, 4, 1) slower than the textbook's?": a step there is a few dozen
NumPy calls of under a microsecond each, and the table shows which part makes the extra ones.

Usage::

    python benchmarks/parts.py                          # (3, 4, 1) and (2, 4, 400)
    python benchmarks/parts.py --sizes "20,64,1000"     # d0,h,m; several separated by ';'

Each part is timed inside training steps: a block runs whole steps (about ``--seconds`` of them) and
times only that part's call in each, less the clock's own cost (about 0.3 us), so every call finds
what a training step leaves it (minifw's ``backward`` releases the caches of the layers, and the next
``forward`` writes into the same arrays again). Each time is CPU time per step, the fastest of
``--repeats`` blocks, on one BLAS thread if threadpoolctl is installed: the minimum, since on a shared
machine every disturbance only adds time. Within a repeat, the two implementations take turns for
every part. The parts are timed in different blocks, so their sum is close to, not exactly, the time
of a whole step (the last row).
"""

import argparse
import contextlib
import gc
import importlib.util
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

PARTS = ("model.forward", "loss.forward", "loss.backward", "model.backward", "opt.step")
"""The five calls of a training step, in order."""

DEFAULT_SIZES = ((3, 4, 1), (2, 4, 400))


def load_step() -> ModuleType:
    """``benchmarks/step.py`` as a module (its ``make_start``, ``Textbook`` and ``Minifw``)."""
    path = Path(__file__).resolve().parent / "step.py"
    spec = importlib.util.spec_from_file_location("minifw_benchmark_step", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def part_calls(impl: Any) -> dict[str, Callable[[], object]]:
    """The five calls of a training step of ``impl`` (a step.py ``Textbook`` or ``Minifw``), in order.

    Each takes what the calls before it left: ``loss.forward`` the output of the last
    ``model.forward``, ``model.backward`` the gradient of the last ``loss.backward``. Run in this
    order they are a training step, as ``impl.step()`` runs it.
    """
    model, loss, X, Y = impl.model, impl.loss, impl.X, impl.Y
    opt = impl.opt if hasattr(impl, "opt") else impl.optimizer
    last: dict[str, Any] = {}

    def forward() -> None:
        last["a"] = model.forward(X)

    def loss_backward() -> None:
        last["grad"] = loss.backward()

    return {
        "model.forward": forward,
        "loss.forward": lambda: loss.forward(last["a"], Y),
        "loss.backward": loss_backward,
        "model.backward": lambda: model.backward(last["grad"]),
        "opt.step": opt.step,
    }


def clock_cost(samples: int = 10_000) -> float:
    """CPU seconds that reading the clock twice costs (the median of ``samples``), taken off every timed call."""
    clock = time.process_time_ns
    costs = []
    for _ in range(samples):
        t0 = clock()
        costs.append(clock() - t0)
    return sorted(costs)[samples // 2] / 1e9


def block(calls: dict[str, Callable[[], object]], part: str, steps: int, cost: float) -> float:
    """CPU seconds of ``part`` per step, over ``steps`` training steps in which only that part is timed.

    Every step runs all of ``calls`` in order; ``part`` is one of them, or ``"whole step"`` for all.
    ``cost`` (the clock's own, :func:`clock_cost`) is taken off each timing. The garbage collector is off.
    """
    clock = time.process_time_ns
    gc.disable()
    try:
        total = 0
        for _ in range(steps):
            start = clock()
            for name, call in calls.items():
                if name == part:
                    t0 = clock()
                    call()
                    total += clock() - t0
                else:
                    call()
            if part == "whole step":
                total += clock() - start
        return total / steps / 1e9 - cost
    finally:
        gc.enable()


def time_parts(impls: dict[str, Any], seconds: float, repeats: int) -> dict[str, dict[str, float]]:
    """For each implementation, CPU seconds per step of each part of its step, and of the whole step.

    The implementations take turns for every part in every repeat, so that a slow spell of the
    machine hits them alike; each time is the fastest of the ``repeats`` blocks.
    """
    steps = {}
    for name, impl in impls.items():
        impl.run(3)  # past the first steps, where minifw's layers allocate their arrays
        steps[name] = part_calls(impl)
    cost = clock_cost()
    sizes: dict[str, int] = {}
    best: dict[str, dict[str, float]] = {name: {} for name in impls}
    for _ in range(repeats):
        for part in (*PARTS, "whole step"):
            for name, calls in steps.items():
                if name not in sizes:  # steps per block, from a first step
                    t0 = time.perf_counter()
                    block(calls, "whole step", 1, cost)
                    sizes[name] = max(1, min(100_000, round(seconds / max(time.perf_counter() - t0, 1e-7))))
                seconds_per_step = block(calls, part, sizes[name], cost)
                best[name][part] = min(best[name].get(part, float("inf")), seconds_per_step)
    return best


def format_us(seconds: float) -> str:
    return f"{seconds * 1e6:.1f} us"


def table(size: tuple[int, int, int], textbook: dict[str, float], minifw: dict[str, float]) -> str:
    """A markdown table: each part's time for the textbook row and minifw, and minifw's difference."""
    lines = [
        f"(d0, h, m) = {size}, float64",
        "",
        "| part | textbook OO NumPy | minifw | minifw - textbook |",
        "| --- | --- | --- | --- |",
    ]
    for part in (*PARTS, "whole step"):
        difference = minifw[part] - textbook[part]
        sign = "+" if difference >= 0 else "-"
        lines.append(
            f"| {part} | {format_us(textbook[part])} | {format_us(minifw[part])} | {sign}{format_us(abs(difference))} |"
        )
    return "\n".join(lines)


def parse_sizes(text: str) -> tuple[tuple[int, int, int], ...]:
    """``"3,4,1;2,4,400"`` as ((3, 4, 1), (2, 4, 400)); each d0, h, m a positive integer."""
    sizes = []
    for item in text.split(";"):
        parts = item.split(",")
        if len(parts) != 3 or not all(p.strip().isdigit() and int(p) > 0 for p in parts):
            raise argparse.ArgumentTypeError(f"sizes are d0,h,m with positive integers, separated by ';'; got {text!r}")
        d0, h, m = (int(p) for p in parts)
        sizes.append((d0, h, m))
    return tuple(sizes)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=parse_sizes, default=DEFAULT_SIZES, help='d0,h,m;... (default "3,4,1;2,4,400")')
    parser.add_argument("--repeats", type=int, default=9, help="blocks per part; the fastest counts (default 9)")
    parser.add_argument("--seconds", type=float, default=0.05, help="length of a block (default 0.05)")
    args = parser.parse_args(argv)
    step = load_step()
    timing = (args.seconds, args.repeats)
    limiter: contextlib.AbstractContextManager[object] = contextlib.nullcontext()
    with contextlib.suppress(ImportError):  # one BLAS thread, as in step.py --threads 1
        limiter = step.optional("threadpoolctl").threadpool_limits(1)
    with limiter:
        for d0, h, m in args.sizes:
            start = step.make_start(d0, h, m, np.float64)
            times = time_parts({"textbook": step.Textbook(start, 0.1), "minifw": step.Minifw(start, 0.1)}, *timing)
            print(table((d0, h, m), times["textbook"], times["minifw"]), end="\n\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
