"""Temporary files of saves: names that fit any target.

Real processes are stopped in the middle of a save: each hangs there (after its first parameter
is written) until it is killed. They run in parallel; the tests take seconds.
"""

import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

import minifw as mf
from minifw.io import atomic_write

needs_signals = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

TEMPORARY = re.compile(r"\.minifw-[0-9a-f]{12}-[0-9a-f]{16}\.tmp")


def model(seed: int = 0) -> mf.Sequential:
    return mf.Sequential(mf.Dense(3, 4, rng=seed), mf.Sigmoid(), mf.Dense(4, 1, rng=seed + 1), mf.Sigmoid())


def temporary_files(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp"))


def make_old(path: Path) -> None:
    """Set ``path``'s times an hour into the past, as if it had been written then."""
    then = time.time() - 3600
    os.utime(path, (then, then))


HANGING_SAVE = """
import sys, time
import numpy as np
import minifw as mf
{prelude}
real = np.lib.format.write_array
def hang(fp, array, *args, **kwargs):
    real(fp, array, *args, **kwargs)
    if array.ndim == 2:  # after the first parameter: say so, then hang until stopped
        open(sys.argv[2], "w").close()
        time.sleep(60)
np.lib.format.write_array = hang
mf.save(mf.Sequential(mf.Dense(3, 4, rng=9), mf.Sigmoid()), sys.argv[1])
"""


def hanging_saves(path: Path, count: int, prelude: str = "") -> list[subprocess.Popen[bytes]]:
    """Start ``count`` processes saving to ``path``; return once each is in the middle of its save."""
    script = HANGING_SAVE.format(prelude=textwrap.dedent(prelude))
    markers = [path.parent / f"half-written-{k}" for k in range(count)]
    processes = [subprocess.Popen([sys.executable, "-c", script, str(path), str(m)]) for m in markers]
    deadline = time.monotonic() + 60
    while not all(m.exists() for m in markers) and time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            break
        time.sleep(0.02)
    if not all(m.exists() for m in markers):
        stop(processes)
        pytest.fail("a saving process never reached the middle of its write")
    for marker in markers:
        marker.unlink()
    return processes


def stop(processes: list[subprocess.Popen[bytes]], signum: int = getattr(signal, "SIGKILL", 9)) -> list[int]:
    """Send ``signum`` to each process; return their exit codes."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signum)
    return [process.wait(timeout=60) for process in processes]


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "model.npz"
    mf.save(model(0), path)
    return path


# Names: a temporary name fits beside any valid target name --------------------------------------


@pytest.mark.parametrize("length", [1, 100, 233, 234, 240, 254, 255])
def test_a_file_name_of_any_valid_length_can_be_saved(tmp_path: Path, length: int) -> None:
    """The temporary name was the target's plus 22 characters: names of 234 to 255 failed."""
    path = tmp_path / ("m" * (length - 4) + ".npz" if length > 4 else "m" * length)
    mf.save(model(), path)
    mf.save(model(1), path)  # and over an existing file
    assert os.listdir(tmp_path) == [path.name]
    assert (mf.load(path).forward(np.ones((3, 2))) == model(1).forward(np.ones((3, 2)))).all()


def test_a_file_name_too_long_for_the_file_system_is_refused_before_writing(tmp_path: Path) -> None:
    with pytest.raises(OSError, match=r"its file name has 256 bytes, and this file system allows 255. Fix: use a"):
        mf.save(model(), tmp_path / ("m" * 256))
    assert os.listdir(tmp_path) == []


@needs_signals
def test_the_temporary_name_is_short_the_same_for_every_name_and_recognisable(tmp_path: Path) -> None:
    names = []
    for path in (tmp_path / "a.npz", tmp_path / ("b" * 255)):
        processes = hanging_saves(path, 1)
        names += temporary_files(tmp_path)
        stop(processes)
        for name in temporary_files(tmp_path):
            (tmp_path / name).unlink()
    assert len(names) == 2
    assert all(TEMPORARY.fullmatch(name) for name in names), names
    assert names[0][:20] != names[1][:20]  # each target has its own tag
    assert atomic_write.temporary_name_pattern(str(tmp_path / "a.npz")).fullmatch(names[0])
