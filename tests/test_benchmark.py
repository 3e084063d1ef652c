"""The benchmark script's correctness check, in its quick mode, so that the benchmark cannot rot.

Times are never asserted here (they belong to ``python benchmarks/step.py``); only that every
implementation it times reaches the same parameters from the same start.
"""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import numpy as np
import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "step.py"


def load_script(path: Path, name: str) -> ModuleType:
    """The script at ``path``, imported as the module ``name``."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_script(SCRIPT, "minifw_benchmark_step")


def test_quick_check_passes_and_covers_minifw(bench: Any) -> None:
    report = bench.check_same_parameters(sizes=bench.QUICK_SIZES, steps=3)
    for name in (
        "reference",
        "reference with .dot",
        "numpy literal",
        "textbook OO NumPy",
        "minifw step",
        "minifw loop",
    ):
        for size in bench.QUICK_SIZES:
            for dtype in ("float64", "float32"):
                assert any(line.startswith(f"{size} {dtype} {name}:") for line in report), (name, size, dtype)


def test_main_in_quick_check_only_mode_exits_0(bench: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--quick", "--check-only"]) == 0
    assert "minifw step" in capsys.readouterr().out


def test_sizes_option_is_parsed_and_bad_sizes_are_refused(bench: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.parse_sizes("3,4,1;2,4,400") == ((3, 4, 1), (2, 4, 400))
    for bad in ("3,4", "3,4,1,5", "3,x,1", "3,0,1"):
        with pytest.raises(SystemExit):
            bench.main(["--check-only", "--sizes", bad])
        assert f"got {bad!r}" in capsys.readouterr().err


def test_check_catches_an_implementation_that_differs(bench: Any) -> None:
    class Off(bench.Minifw):  # type: ignore[misc]  # a class of the script loaded at run time (Any)
        def run(self, steps: int) -> None:
            super().run(steps)
            self.model.parameters()[1].value += 1e-6  # a wrong b^[1]

    entries = [bench.Entry("reference", bench.Reference), bench.Entry("off", Off)]
    with pytest.raises(AssertionError, match="off"):
        bench.check_same_parameters(sizes=[(3, 4, 1)], dtypes=[np.float64], entries=entries)


def test_check_catches_a_textbook_network_that_forgets_the_mean(bench: Any) -> None:
    """dz^[2] = a^[2] - y without the 1/m: equal at m = 1, so the check must run at m = 400 to see it."""

    class NoMean(bench.TextbookBCE):  # type: ignore[misc]  # a class of the script loaded at run time (Any)
        def backward(self) -> Any:
            return self.a - self.y

    class Off(bench.Textbook):  # type: ignore[misc]  # as above
        def __init__(self, s: Any, rate: float) -> None:
            super().__init__(s, rate)
            self.loss = NoMean()

    entries = [bench.Entry("reference", bench.Reference), bench.Entry("off", Off)]
    bench.check_same_parameters(sizes=[(3, 4, 1)], dtypes=[np.float64], entries=entries)  # m = 1: no difference
    with pytest.raises(AssertionError, match="off"):
        bench.check_same_parameters(sizes=[(2, 4, 400)], dtypes=[np.float64], entries=entries)


def test_textbook_network_matches_the_slides_closed_forms_for_one_step(bench: Any) -> None:
    """One textbook step from a known start: θ - α ∂J/∂θ from the slide formulas, and W^[1]T dz^[1] returned."""
    start = bench.make_start(2, 4, 5, np.float64)
    impl = bench.Textbook(start, 0.5)
    x, y, m = start.X, start.Y, start.X.shape[1]
    a1 = 1.0 / (1.0 + np.exp(-(start.b1 + start.W1 @ x)))
    a2 = 1.0 / (1.0 + np.exp(-(start.b2 + start.W2 @ a1)))
    dz2 = (a2 - y) / m
    dz1 = (start.W2.T @ dz2) * a1 * (1.0 - a1)
    a2_got = impl.model.forward(x)
    J = impl.loss.forward(a2_got, y)
    dx = impl.model.backward(impl.loss.backward())
    impl.optimizer.step()
    np.testing.assert_allclose(a2_got, a2, rtol=1e-13)
    np.testing.assert_allclose(J, -np.mean(y * np.log(a2) + (1 - y) * np.log(1 - a2)), rtol=1e-13)
    np.testing.assert_allclose(dx, start.W1.T @ dz1, rtol=1e-12, atol=1e-16)
    expected = [
        start.W1 - 0.5 * dz1 @ x.T,
        start.b1 - 0.5 * dz1.sum(axis=1, keepdims=True),
        start.W2 - 0.5 * dz2 @ a1.T,
        start.b2 - 0.5 * dz2.sum(axis=1, keepdims=True),
    ]
    for got, want in zip(impl.params(), expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


def test_reference_matches_the_slides_closed_forms_for_one_step(bench: Any) -> None:
    """The reference itself: one step from a known start equals θ - α ∂J/∂θ from the slide formulas."""
    start = bench.make_start(3, 4, 1, np.float64)
    ref = bench.Reference(start, 0.5)
    ref.step()
    x, y = start.X, start.Y
    z1 = start.b1 + start.W1 @ x
    a1 = 1.0 / (1.0 + np.exp(-z1))
    a2 = 1.0 / (1.0 + np.exp(-(start.b2 + start.W2 @ a1)))
    D = np.diag((a1 * (1.0 - a1)).ravel())
    db2 = a2 - y
    dW2 = (a2 - y) @ a1.T
    db1 = (a2 - y) * D @ start.W2.T
    dW1 = db1 @ x.T
    expected = [start.W1 - 0.5 * dW1, start.b1 - 0.5 * db1, start.W2 - 0.5 * dW2, start.b2 - 0.5 * db2]
    for got, want in zip(ref.params(), expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


def test_the_ratio_is_the_median_of_the_ratios_within_each_repeat(bench: Any) -> None:
    # The machine slowed down 2x, then 4x over three repeats; the implementation stayed 1.5x the reference.
    reference = [1.0, 2.0, 4.0]
    assert bench.paired_ratio([1.5, 3.0, 6.0], reference) == 1.5
    # Medians taken apart would compare the reference's repeat 1 with the other's repeat 2: 6 / 2 = 3.
    assert bench.paired_ratio([1.5, 6.0, 3.0], [1.0, 4.0, 2.0]) == 1.5
    assert bench.paired_ratio([1.0, 9.0, 1.2], [1.0, 1.0, 1.0]) == 1.2  # one repeat hit by a spell is dropped
    with pytest.raises(ValueError, match="longer"):
        bench.paired_ratio([1.0], [1.0, 2.0])


def test_the_plot_is_drawn(bench: Any, tmp_path: Path) -> None:
    from .pictures import assert_png_is_a_picture

    rows = [
        bench.Row(size, "float64", name, seconds, ratio, 1000, 1.0)
        for size in bench.QUICK_SIZES
        for name, seconds, ratio in (("reference", 1e-5, 1.0), ("minifw step", 2e-5, 2.0))
    ]
    path = tmp_path / "ratios.png"
    bench.plot(rows, str(path))
    assert_png_is_a_picture(path)
    assert "| (3, 4, 1) | float64 | minifw step | 20.0 us | 2.00x |" in bench.table(rows)


def test_the_performance_page_shows_a_committed_plot_and_the_command() -> None:
    from .pictures import assert_png_is_a_picture

    root = SCRIPT.parent.parent
    page = (root / "docs" / "performance.md").read_text(encoding="utf-8")
    assert "python benchmarks/step.py" in page
    assert "](images/performance.png)" in page
    assert_png_is_a_picture(root / "docs" / "images" / "performance.png")


PARTS_SCRIPT = SCRIPT.parent / "parts.py"


@pytest.fixture(scope="module")
def parts() -> ModuleType:
    return load_script(PARTS_SCRIPT, "minifw_benchmark_parts")


def microseconds(cell: str) -> float:
    """``"12.5 us"``, ``"+1.0 us"`` or ``"-3.2 us"`` as a number of microseconds."""
    number, unit = cell.split()
    assert unit == "us", cell
    return float(number)


def test_the_parts_table_times_each_part_of_both_steps_and_their_difference(
    parts: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert parts.main(["--sizes", "3,4,1", "--repeats", "1", "--seconds", "0.001"]) == 0
    out = capsys.readouterr().out
    assert "(d0, h, m) = (3, 4, 1), float64" in out
    rows = {line.split(" | ")[0].lstrip("| "): line.strip("| ").split(" | ")[1:] for line in out.splitlines()}
    for part in (*parts.PARTS, "whole step"):
        textbook, minifw, difference = (microseconds(cell) for cell in rows[part])
        assert textbook > 0, part
        assert minifw > 0, part
        assert difference == pytest.approx(minifw - textbook, abs=0.11), part  # each cell rounded to 0.1 us


def test_the_parts_are_the_calls_of_a_step(parts: Any) -> None:
    """The parts are the calls of a step in order, each on what the one before left; each is timed inside steps."""
    calls: list[tuple[str, tuple[object, ...]]] = []

    class Counted:
        def __init__(self, name: str, result: object = None) -> None:
            self.name, self.result = name, result

        def __call__(self, *args: object) -> object:
            calls.append((self.name, args))
            return self.result

    a, grad = np.full((1, 1), 0.25), np.full((1, 1), -2.0)

    class Impl:
        X, Y = np.zeros((3, 1)), np.zeros((1, 1))
        model, loss, opt = SimpleNamespace(), SimpleNamespace(), SimpleNamespace()
        model.forward, model.backward = Counted("model.forward", a), Counted("model.backward")
        loss.forward, loss.backward = Counted("loss.forward", 0.0), Counted("loss.backward", grad)
        opt.step = Counted("opt.step")

        def run(self, steps: int) -> None:
            calls.append(("run", (steps,)))

    part_calls = parts.part_calls(Impl())
    assert list(part_calls) == list(parts.PARTS)
    for call in part_calls.values():  # one training step, the calls in order
        call()
    assert [name for name, _ in calls] == list(parts.PARTS)
    arguments = dict(calls)
    assert arguments["loss.forward"][0] is a  # the output of the forward before it
    assert arguments["model.backward"] == (grad,)  # the loss's gradient for it
    calls.clear()
    for part in (*parts.PARTS, "whole step"):
        assert parts.block(part_calls, part, 2, 0.0) >= 0.0
    assert [name for name, _ in calls] == list(parts.PARTS) * 2 * (len(parts.PARTS) + 1)  # whole steps only
    times = parts.time_parts({"one": Impl(), "two": Impl()}, seconds=1e-4, repeats=2)
    assert list(times) == ["one", "two"]
    assert list(times["one"]) == [*parts.PARTS, "whole step"]
    with pytest.raises(SystemExit):
        parts.main(["--sizes", "3,4"])


def test_the_threads_column_shows_the_elapsed_time_and_the_gain_of_the_threaded_rows_only(bench: Any) -> None:
    rows = [
        bench.Row((3, 4, 1), "float64", "reference", 1e-5, 1.0, 1000, 1.0),
        bench.Row((3, 4, 1), "float64", "minifw step", 2e-5, 2.0, 1000, 1.0, 2, 1.5e-5, 1.25),
    ]
    lines = bench.table(rows).splitlines()
    assert lines[0].endswith("| 2 threads: elapsed time / step | gain from 2 threads |")
    assert lines[1].count("---") == 10
    assert lines[2].endswith("|  |  |")  # the reference is not timed on more threads
    assert lines[3].endswith("| 15.0 us | 1.25x |")
    assert "threads" not in bench.table(rows[:1])  # without the column, the table as before


def test_thread_gains_runs_each_block_on_one_thread_then_on_n(bench: Any) -> None:
    threadpoolctl = pytest.importorskip("threadpoolctl")
    seen: list[int] = []

    class Impl:
        def run(self, steps: int) -> None:
            seen.append(max(info["num_threads"] for info in threadpoolctl.threadpool_info()))

    entry = bench.Entry("minifw step", lambda s, rate: Impl())
    gains = bench.thread_gains([(entry, Impl())], {"minifw step": 1}, repeats=2, threads=2)
    if not threadpoolctl.threadpool_info():
        pytest.skip("no BLAS or OpenMP library that threadpoolctl can see")
    with threadpoolctl.threadpool_limits(2):
        two = max(info["num_threads"] for info in threadpoolctl.threadpool_info())  # 1 on a machine with one core
    assert seen == [1, two, 1, two]
    seconds, gain = gains["minifw step"]
    assert seconds > 0
    assert gain > 0


def test_also_threads_needs_a_positive_number(bench: Any, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        bench.main(["--check-only", "--also-threads", "0"])
    assert "at least 1; got 0" in capsys.readouterr().err
