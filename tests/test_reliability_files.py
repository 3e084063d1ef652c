"""Temporary files of saves: names that fit any target, no pile-up after killed saves, signal handlers left alone.

Real processes are stopped in the middle of a save: each hangs there (after its first parameter
is written) until it is killed or sent a signal. They run in parallel; the tests take seconds.
"""

import hashlib
import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import minifw as mf
from minifw.io import atomic_write

from .conftest import unwritable_folder

needs_signals = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

TEMPORARY = re.compile(r"\.minifw-[0-9a-f]{12}-[a-z0-9_]{8}\.tmp")


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


# Files left by killed saves: removed by the next save, and nothing else is ----------------------


@needs_signals
def test_files_left_by_killed_saves_are_removed_by_the_next_save(target: Path) -> None:
    old = target.read_bytes()
    stop(hanging_saves(target, 3))
    left = temporary_files(target.parent)
    assert len(left) == 3  # SIGKILL: nothing can clean up
    assert target.read_bytes() == old
    mf.save(model(1), target)
    assert temporary_files(target.parent) == left  # too recent to tell from a save that is starting
    for name in left:
        make_old(target.parent / name)
    mf.save(model(2), target)
    assert temporary_files(target.parent) == []
    assert (mf.load(target).forward(np.ones((3, 1))) == model(2).forward(np.ones((3, 1)))).all()


@needs_signals
def test_a_save_in_progress_keeps_its_temporary_file(target: Path) -> None:
    processes = hanging_saves(target, 1)
    try:
        (writing,) = temporary_files(target.parent)
        make_old(target.parent / writing)  # old, but its save still holds the lock
        mf.save(model(1), target)
        assert temporary_files(target.parent) == [writing]
        assert processes[0].poll() is None
    finally:
        stop(processes)
    assert atomic_write.remove_stale_temporary_files(str(target)) == [writing]  # the lock went with the process
    assert temporary_files(target.parent) == []


def test_other_files_are_never_removed(target: Path) -> None:
    folder = target.parent
    own_tag = hashlib.sha256(b"model.npz").hexdigest()[:12]  # what the names of saves to model.npz hold
    other_tag = hashlib.sha256(b"other.npz").hexdigest()[:12]
    assert atomic_write.temporary_name_pattern(str(target)).fullmatch(f".minifw-{own_tag}-{'0' * 8}.tmp")
    names = [
        f".model.npz.{'0' * 8}.tmp",  # the names of earlier minifw versions, and of other programs
        f".minifw-{other_tag}-{'1' * 8}.tmp",  # a save to another file in the same folder
        f".minifw-{own_tag}-{'2' * 7}.tmp",  # one digit short
        f".minifw-{own_tag}-{'3' * 8}.tmp.part",
        f"minifw-{own_tag}-{'4' * 8}.tmp",
        f".minifw-{own_tag}-{'A' * 8}.tmp",
        "notes.tmp",
    ]
    for name in names:
        (folder / name).write_bytes(b"someone else's")
        make_old(folder / name)
    directory = folder / f".minifw-{own_tag}-{'5' * 8}.tmp"  # the right name, but a folder
    directory.mkdir()
    outside = folder.parent / f"{folder.name}-outside.txt"
    outside.write_bytes(b"precious")
    link = folder / f".minifw-{own_tag}-{'6' * 8}.tmp"  # the right name, but a link to a file elsewhere
    link.symlink_to(outside)
    os.utime(link, (time.time() - 3600, time.time() - 3600), follow_symlinks=False)
    make_old(outside)
    mf.save(model(1), target)
    for name in names:
        assert (folder / name).read_bytes() == b"someone else's"
    assert directory.is_dir()
    assert link.is_symlink()
    assert outside.read_bytes() == b"precious"


# Termination signals in the middle of a save --------------------------------------------------


@needs_signals
@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_a_save_ended_by_a_termination_signal_is_cleaned_up_by_the_next_save(target: Path, name: str) -> None:
    """SIGTERM is what `timeout`, `kill` and `docker stop` send: the process ends on the spot, as without minifw."""
    signum = getattr(signal, name)
    old = target.read_bytes()
    processes = hanging_saves(target, 3)
    assert stop(processes, signum) == [-signum] * 3
    assert target.read_bytes() == old
    left = temporary_files(target.parent)
    assert len(left) == 3
    for name_left in left:
        make_old(target.parent / name_left)
    mf.save(model(1), target)
    assert temporary_files(target.parent) == []


@needs_signals
def test_a_programs_own_sigterm_handler_is_kept(target: Path) -> None:
    prelude = "import signal\nsignal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(3))\n"
    processes = hanging_saves(target, 1, prelude)
    assert stop(processes, signal.SIGTERM) == [3]  # its handler ran (and raised, which removed the file)
    assert temporary_files(target.parent) == []


@needs_signals
@pytest.mark.parametrize("before", [signal.SIG_DFL, signal.SIG_IGN])
def test_a_save_never_changes_the_signal_handlers(
    target: Path, monkeypatch: pytest.MonkeyPatch, before: signal.Handlers
) -> None:
    """A library changes nothing process-wide: a save swapped SIGTERM's and SIGHUP's handlers while it wrote."""
    seen = []
    real = np.lib.format.write_array

    def spy(*args: object, **kwargs: object) -> None:
        seen.append((signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP)))
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(np.lib.format, "write_array", spy)
    previous = signal.signal(signal.SIGTERM, before), signal.signal(signal.SIGHUP, before)
    try:
        mf.save(model(1), target)
    finally:
        signal.signal(signal.SIGTERM, previous[0])
        signal.signal(signal.SIGHUP, previous[1])
    assert seen
    assert all(handlers == (before, before) for handlers in seen)


def test_a_save_from_another_thread_leaves_signals_alone(target: Path) -> None:
    errors: list[BaseException] = []

    def save() -> None:
        try:
            mf.save(model(1), target)
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    thread = threading.Thread(target=save)
    thread.start()
    thread.join()
    assert errors == []
    assert (mf.load(target).forward(np.ones((3, 1))) == model(1).forward(np.ones((3, 1)))).all()


def test_a_folder_that_takes_no_new_file_is_named_with_the_fix(tmp_path: Path) -> None:
    candidate = unwritable_folder(tmp_path)
    with pytest.raises(OSError, match=r"no file can be created in the folder .*\. Fix: save into a folder you can"):
        mf.save(model(), candidate / "model.npz")
    with pytest.raises(OSError, match=r"no file can be created in the folder"):
        atomic_write.check_writable(str(candidate / "model.npz"))
    atomic_write.check_writable(str(tmp_path / "model.npz"))  # a folder that does
    assert sorted(os.listdir(tmp_path)) == ["read-only"]  # and leaves nothing
