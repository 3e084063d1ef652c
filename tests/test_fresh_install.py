"""What README's test command installs, and what the suite says when PyTorch is not there.

The test extra installs no PyTorch: on Linux every torch wheel on PyPI is a CUDA build that brings
triton and the nvidia-* packages. Without it, the agreement tests are skipped and pytest's summary
says so in one line, with the command that runs them; with CI=true they fail instead. CI (.ci/run)
installs PyTorch's CPU build before README's test command.
"""

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from . import test_against_pytorch

ROOT = Path(__file__).resolve().parent.parent

# Run pytest on the agreement tests in a fresh interpreter in which `import torch` fails, as without PyTorch.
_WITHOUT_TORCH = "import sys; sys.modules['torch'] = None; import pytest; raise SystemExit(pytest.main(sys.argv[1:]))"


def run_agreement_tests_without_torch(ci: bool) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if name not in ("CI", "PYTEST_ADDOPTS")}
    if ci:
        env["CI"] = "true"
    command = [sys.executable, "-c", _WITHOUT_TORCH, "tests/test_against_pytorch.py", "-p", "no:cacheprovider"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)


def test_without_torch_one_summary_line_names_the_tests_left_out_and_how_to_run_them() -> None:
    result = run_agreement_tests_without_torch(ci=False)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if "left out" in line]
    assert len(lines) == 1, result.stdout
    assert lines[0].startswith("SKIPPED [9] "), lines[0]  # the nine agreement tests, counted in the one line
    assert test_against_pytorch.INSTALL_TORCH in lines[0]
    assert "pytest tests/test_against_pytorch.py" in lines[0]
    assert re.search(r"\b9 skipped\b", result.stdout)


def test_without_torch_in_ci_the_agreement_tests_fail() -> None:
    result = run_agreement_tests_without_torch(ci=True)
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"\b9 errors?\b|\b9 failed\b", result.stdout), result.stdout
    assert "CI=true and PyTorch is not installed" in result.stdout


def test_the_test_extra_installs_no_pytorch() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["optional-dependencies"]
    seen, todo = set(), ["test"]
    while todo:  # the test extra and the minifw[...] extras it includes
        extra = todo.pop()
        seen.add(extra)
        for requirement in extras[extra]:
            name = re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower()
            assert name not in ("torch", "triton"), (extra, requirement)
            assert not name.startswith("nvidia-"), (extra, requirement)
            if name == "minifw":
                todo += [e for e in re.findall(r"\w+", requirement.split("[", 1)[1]) if e not in seen]


def test_ci_installs_the_cpu_build_of_pytorch_then_runs_readme_test_command() -> None:
    script = (ROOT / ".ci" / "run").read_text("utf-8")
    install = re.search(r"^\.venv/bin/python -m pip install .*torch==[\d.]+ .*$", script, re.MULTILINE)
    assert install is not None
    assert "--index-url https://download.pytorch.org/whl/cpu" in install.group()
    assert re.search(r"^export CI=true$", script, re.MULTILINE)
    assert script.index(install.group()) < script.index('bash -euo pipefail -c "$test_command"')


def test_readme_says_how_to_run_the_agreement_tests() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert test_against_pytorch.INSTALL_TORCH in readme
    assert "no PyTorch" in readme
