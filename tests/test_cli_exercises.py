"""minifw exercises DIR: the skeletons shipped in the package, written into DIR, never over a file that is there."""

import builtins
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from minifw.cli import exercises, main

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_EXERCISES = ROOT / "minifw" / "exercises"
SKELETONS = ["binary_cross_entropy.py", "dense.py", "sigmoid.py"]
SHIPPED = sorted(path.name for path in PACKAGE_EXERCISES.iterdir() if path.is_file())
"""The skeletons, and any other exercise kept with them (such as a notebook)."""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["exercises", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def files_in(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_every_skeleton_is_written_as_shipped_into_a_new_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, os.path.join("course", "week 3"))
    assert (code, err) == (0, "")
    folder = tmp_path / "course" / "week 3"
    assert files_in(folder) == {name: (PACKAGE_EXERCISES / name).read_bytes() for name in SHIPPED}
    assert set(SKELETONS) <= set(SHIPPED)
    assert out.splitlines() == [
        *(f"wrote {os.path.join('course', 'week 3', name)}" for name in SHIPPED),
        f"next: write forward and backward in each file, then grade it: minifw check {folder.relative_to(tmp_path)}"
        f"{os.sep}dense.py",
    ]


def test_the_skeletons_are_every_exercise_file_of_the_package() -> None:
    """What the wheel ships in minifw/exercises/ (tests/test_package.py) is what the command writes out."""
    assert [path.name for path in exercises.skeletons()] == SHIPPED
    assert [name for name in SHIPPED if not name.endswith(exercises.SUFFIXES)] == []


def test_a_file_already_there_is_left_alone_and_named(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "dense.py").write_text("# my Dense, half written\n", "utf-8")
    code, out, err = run(capsys, str(tmp_path))
    assert (code, err) == (0, "")
    assert (tmp_path / "dense.py").read_text("utf-8") == "# my Dense, half written\n"
    assert (tmp_path / "sigmoid.py").read_bytes() == (PACKAGE_EXERCISES / "sigmoid.py").read_bytes()
    dense = tmp_path / "dense.py"
    assert f"left alone {dense}: it is already there (rename it to get a fresh copy)\n" in out
    assert out.count("wrote ") == len(SHIPPED) - 1


def test_run_twice_the_second_run_leaves_every_file_alone(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    run(capsys, str(tmp_path))
    (tmp_path / "sigmoid.py").write_text("# my work\n", "utf-8")
    before = files_in(tmp_path)
    code, out, _ = run(capsys, str(tmp_path))
    assert code == 0
    assert files_in(tmp_path) == before
    assert out.count("left alone ") == len(SHIPPED)
    assert "wrote" not in out


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("a-file.txt", "cannot write the exercises into '{tmp}/a-file.txt': File exists. Fix: name a folder you can"),
        (
            "a-file.txt/sub",
            "cannot write the exercises into '{tmp}/a-file.txt/sub': Not a directory. Fix: name a folder you can write "
            "to, no part of whose path is a file",
        ),
        ("", "cannot write the exercises into '': No such file or directory. Fix: name a folder"),
    ],
)
def test_a_folder_that_cannot_be_made_is_one_line_and_nothing_is_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, target: str, message: str
) -> None:
    (tmp_path / "a-file.txt").write_text("notes\n", "utf-8")
    code, out, err = run(capsys, str(tmp_path / target) if target else "")
    assert (code, out) == (1, "")
    assert err.startswith(f"minifw: error: {message.format(tmp=tmp_path)}"), err
    assert err.count("\n") == 1, err
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a-file.txt"]


def test_a_folder_that_cannot_be_written_to_is_one_line_and_the_call_changes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second file fails (as in a folder without write permission, which root would not see): the first is
    removed again, and the folders the call made."""
    real_open = builtins.open
    opened: list[str] = []

    def open_failing_on_the_second(path: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "x" in mode:
            opened.append(str(path))
            if len(opened) == 2:
                raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", open_failing_on_the_second)
    (tmp_path / "course").mkdir()
    code, out, err = run(capsys, str(tmp_path / "course" / "new" / "week1"))
    assert (code, out) == (1, "")
    folder = tmp_path / "course" / "new" / "week1"
    assert err == (
        f"minifw: error: cannot write the exercises into '{folder}': Permission denied. Fix: name a folder you can "
        "write to, no part of whose path is a file, e.g. one in your home folder\n"
    )
    assert len(opened) == 2
    assert list((tmp_path / "course").iterdir()) == []


def test_the_written_skeletons_are_graded_by_minifw_check(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    run(capsys, str(tmp_path))
    code = main(["check", str(tmp_path / "dense.py")])
    out = capsys.readouterr().out
    assert code == 1
    assert ": forward is not written yet (NotImplementedError: forward: z = b + W a_prev" in " ".join(out.split())


def test_version_is_the_installed_metadata_s(capsys: pytest.CaptureFixture[str]) -> None:
    import importlib.metadata

    import minifw as mf

    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"minifw {importlib.metadata.version('minifw')}\n"
    assert mf.__version__ == importlib.metadata.version("minifw")


def test_a_source_tree_that_was_never_installed_has_version_0_unknown() -> None:
    """Without metadata (minifw imported from a folder on sys.path, not installed), a valid version that says so."""
    hide_metadata = (
        "import importlib.metadata as m\n"
        "def version(name):\n"
        "    raise m.PackageNotFoundError(name)\n"
        "m.version = version\n"
        "import minifw\n"
        "print(minifw.__version__)\n"
    )
    result = subprocess.run([sys.executable, "-c", hide_metadata], capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout, result.stderr) == (0, "0+unknown\n", "")
