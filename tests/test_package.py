"""The sdist and the wheel a course installs: what each holds, and the wheel alone in a new virtual environment.

Both are built once for the file, as `python -m build` builds them (the sdist, then the wheel from the
sdist), without build isolation: hatchling comes from the test extra. The wheel is then installed into
a new virtual environment with nothing but its dependencies, and the commands a student runs first are
run there, away from the repository: `minifw --version`, `minifw demo`, `minifw exercises` and
`minifw check`.
"""

import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
VERSION: str = PYPROJECT["project"]["version"]
SOLUTION = ROOT / "tests" / "exercises" / "solution.py"
OUTSIDE_THE_PACKAGES = ("tests/", "docs/", "examples/", "benchmarks/", ".ci/", "site/")


def package_files() -> set[str]:
    """Every file of minifw/ (the Python files, py.typed, the exercises), as hatchling takes them: not caches."""
    return {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "minifw").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def run(command: list[str | Path], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if name not in ("PYTHONPATH", "PYTHONHOME")}
    return subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding the sdist and the wheel that `python -m build` makes of the repository."""
    out = tmp_path_factory.mktemp("dist")
    result = run([sys.executable, "-m", "build", "--no-isolation", "--outdir", out, ROOT], cwd=out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def wheel(dist: Path) -> Iterator[zipfile.ZipFile]:
    with zipfile.ZipFile(dist / f"minifw-{VERSION}-py3-none-any.whl") as wheel:
        yield wheel


@pytest.fixture(scope="module")
def venv(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment with the wheel installed, and with it only numpy and attrs: its scripts folder."""
    folder = tmp_path_factory.mktemp("venv")
    result = run([sys.executable, "-m", "venv", "--without-pip", folder], cwd=folder)
    assert result.returncode == 0, result.stderr
    scripts = folder / ("Scripts" if os.name == "nt" else "bin")
    wheel = dist / f"minifw-{VERSION}-py3-none-any.whl"
    # This run's pip installs into the new environment (which gets none of its own); --no-compile: about 6 s less
    # than byte-compiling all of numpy, whose modules the commands below import (and compile) anyway.
    install: list[str | Path] = [
        sys.executable,
        "-m",
        "pip",
        "--python",
        scripts / "python",
        "install",
        "-q",
        "--no-compile",
        wheel,
    ]
    result = run(install, cwd=folder)
    assert result.returncode == 0, result.stdout + result.stderr
    return scripts


def test_the_wheel_holds_the_package_its_exercises_py_typed_and_the_license(wheel: zipfile.ZipFile) -> None:
    info = f"minifw-{VERSION}.dist-info"
    expected = package_files() | {
        f"{info}/{name}" for name in ("METADATA", "WHEEL", "entry_points.txt", "RECORD", "licenses/LICENSE")
    }
    names = set(wheel.namelist())
    assert names == expected, (sorted(names - expected), sorted(expected - names))
    assert {"minifw/py.typed", "minifw/exercises/dense.py", "minifw/cli/exercises.py"} <= names
    assert not [name for name in names if name.startswith(OUTSIDE_THE_PACKAGES)]
    assert wheel.read(f"{info}/licenses/LICENSE") == (ROOT / "LICENSE").read_bytes()
    metadata = wheel.read(f"{info}/METADATA").decode("utf-8").splitlines()
    assert f"Version: {VERSION}" in metadata
    assert "License-Expression: MIT" in metadata
    assert "License-File: LICENSE" in metadata
    assert wheel.read(f"{info}/entry_points.txt").decode("utf-8").split() == [
        "[console_scripts]",
        "minifw",
        "=",
        "minifw.cli:main",
    ]


def test_the_sdist_holds_what_builds_the_wheel_and_no_tests_or_docs(dist: Path) -> None:
    top = f"minifw-{VERSION}"
    with tarfile.open(dist / f"{top}.tar.gz") as sdist:
        names = {member.name for member in sdist.getmembers() if member.isfile()}
        license_text = sdist.extractfile(f"{top}/LICENSE")
        assert license_text is not None
        assert license_text.read() == (ROOT / "LICENSE").read_bytes()
    files = {name.removeprefix(f"{top}/") for name in names}
    metadata_files = {"pyproject.toml", "PKG-INFO", "README.md", "CHANGELOG.md", "LICENSE", ".gitignore"}
    assert files == package_files() | metadata_files, sorted(files ^ (package_files() | metadata_files))
    assert not [name for name in files if name.startswith(OUTSIDE_THE_PACKAGES)]


def test_the_wheel_alone_installs_minifw_numpy_and_attrs(venv: Path, tmp_path: Path) -> None:
    script = (
        "import importlib.metadata, minifw\n"
        "print(sorted(d.metadata['Name'].lower() for d in importlib.metadata.distributions()))\n"
        "print(minifw.__file__)\n"
        "print(minifw.__version__)\n"
    )
    result = run([venv / "python", "-c", script], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    names, where, version = result.stdout.splitlines()
    assert names == "['attrs', 'minifw', 'numpy']"
    assert Path(where).is_relative_to(venv.parent), where  # the installed copy, not the repository's
    assert version == VERSION


def test_minifw_version_names_the_version_of_pyproject(venv: Path, tmp_path: Path) -> None:
    result = run([venv / "minifw", "--version"], cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"minifw {VERSION}\n", "")


def test_minifw_demo_runs_from_the_wheel(venv: Path, tmp_path: Path) -> None:
    result = run([venv / "minifw", "demo"], cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    assert "training accuracy: 100.00%" in result.stdout


def test_minifw_exercises_then_check_from_the_wheel(venv: Path, tmp_path: Path) -> None:
    result = run([venv / "minifw", "exercises", "my-exercises"], cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    written = sorted(path.name for path in (tmp_path / "my-exercises").iterdir())
    assert written == sorted(path.name for path in (ROOT / "minifw" / "exercises").iterdir() if path.is_file())
    assert {"binary_cross_entropy.py", "dense.py", "sigmoid.py"} <= set(written)
    result = run([venv / "minifw", "check", "my-exercises/dense.py"], cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert ": forward is not written yet (NotImplementedError: forward: z = b + W a_prev" in " ".join(
        result.stdout.split()
    )
    failed = "minifw: error: checks failed: my-exercises/dense.py:Dense (10 of 10); the hints are above\n"
    assert result.stderr == failed
    shutil.copy(SOLUTION, tmp_path / "my-exercises" / "solution.py")  # the skeletons, filled in
    result = run([venv / "minifw", "check", "my-exercises/solution.py"], cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, ""), result.stdout + result.stderr
    assert result.stdout.count("checks passed") == 3


def test_the_build_backend_of_the_test_extra_is_the_one_pyproject_asks_for() -> None:
    """The wheel is built without isolation, so with the hatchling of the test extra: the same requirement."""
    (backend,) = [r for r in PYPROJECT["project"]["optional-dependencies"]["test"] if r.startswith("hatchling")]
    assert PYPROJECT["build-system"]["requires"] == [backend]


def test_the_license_is_the_mit_text_and_pyproject_says_so() -> None:
    text = (ROOT / "LICENSE").read_text("utf-8")
    assert text.startswith("MIT License\n\nCopyright (c) 2026 the minifw authors\n\nPermission is hereby granted")
    assert PYPROJECT["project"]["license"] == "MIT"
    assert PYPROJECT["project"]["license-files"] == ["LICENSE"]


def test_the_changelog_s_newest_version_is_pyproject_s() -> None:
    """Keep a Changelog: Unreleased first, then each version with its date, newest first, under the usual headings."""
    text = (ROOT / "CHANGELOG.md").read_text("utf-8")
    versions = re.findall(r"^## \[(.+?)\](?: - (\d{4}-\d{2}-\d{2}))?$", text, re.MULTILINE)
    assert versions[0] == ("Unreleased", "")
    assert versions[1][0] == VERSION
    released = [tuple(int(n) for n in version.split(".")) for version, _ in versions[1:]]
    assert released == sorted(released, reverse=True)
    assert all(date for _, date in versions[1:])
    assert [d for _, d in versions[1:]] == sorted((d for _, d in versions[1:]), reverse=True)
    headings = set(re.findall(r"^### (.+)$", text, re.MULTILINE))
    assert headings <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}, headings
    assert len(re.findall(r"^## ", text, re.MULTILINE)) == len(versions)


def test_every_exercise_file_lives_in_the_package() -> None:
    """Only minifw/exercises/ ships in the wheel and is written out by `minifw exercises`: an exercise (a notebook
    too) kept elsewhere would be missing for a student who installed minifw."""
    elsewhere = [path.relative_to(ROOT).as_posix() for path in (ROOT / "examples").rglob("*exercise*")]
    assert elsewhere == [], f"move {elsewhere} into minifw/exercises/ (git mv), where they ship with the package"
