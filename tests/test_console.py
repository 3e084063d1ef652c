"""The command line on real consoles, in a subprocess: one that is not UTF-8, and one that is a terminal."""

import ast
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

import minifw as mf
from minifw.cli.console import ASCII_NAMES

ROOT = Path(__file__).resolve().parent.parent


def minifw(
    *args: str | Path, encoding: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    """``python -m minifw ARGS`` with stdout and stderr in ``encoding`` (PYTHONIOENCODING); the raw bytes."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONIOENCODING", "PYTHONUTF8")}
    if encoding is not None:
        env["PYTHONIOENCODING"] = encoding
    return subprocess.run(
        [sys.executable, "-m", "minifw", *map(str, args)],
        capture_output=True,
        cwd=cwd,
        env=env,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A CSV file on a scale of 100, and a model trained on it with --standardize."""
    folder = tmp_path_factory.mktemp("console")
    X, Y = mf.make_circles(200, seed=0)
    data = folder / "circles-x100.csv"
    mf.save_csv(data, 100.0 * X, Y)
    model = folder / "circles.npz"
    result = minifw("train", "--data", data, "--standardize", "--epochs", "300", "--save", model)
    assert result.returncode == 0, result.stderr
    return {"data": data, "model": model, "folder": folder}


COMMANDS = {
    "demo": (
        ("demo",),
        0,
        ("alpha = 2", "a^[1] = sigma(z^[1])", "dJ/dtheta", "dJ/dW^[1] = (a^[2] - y) D (W^[2])^T x^T"),
    ),
    "help": (("train", "--help"), 0, ("learning rate alpha (default 1.2)", "(x - mu) / sigma")),
    "standardize": (("train", "--data", "DATA", "--standardize", "--epochs", "50"), 0, ("(x - mu) / sigma, mu = [",)),
    "warning": (
        ("train", "--data", "DATA", "--no-standardize", "--epochs", "50"),
        3,  # learned nothing: unscaled features
        ("minifw: warning: the features are on large", "x1 (sigma 55.6) are large (sigma is the standard deviation)"),
    ),
    "predict": (
        ("predict", "--model", "MODEL", "--data", "DATA"),
        0,
        ("probability,label", "accuracy: ", "y_hat = 1 at a >= 0.5"),
    ),
    "error": (("train", "--data", "xor", "--lr", "-1"), 2, ("argument --lr: expected a finite number > 0",)),
}


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_console_that_is_not_utf8_gets_ascii_names(files: dict[str, Path], encoding: str, command: str) -> None:
    """``PYTHONIOENCODING=cp1252 minifw demo`` ended with "'charmap' codec can't encode character 'α'"."""
    args, code, fragments = COMMANDS[command]
    args = tuple(str(files["data"]) if a == "DATA" else str(files["model"]) if a == "MODEL" else a for a in args)
    result = minifw(*args, encoding=encoding)
    out, err = result.stdout.decode(encoding), result.stderr.decode(encoding)  # strict: all of it is in the encoding
    assert result.returncode == code, err
    assert "Traceback" not in err
    assert "codec can't encode" not in err
    for fragment in fragments:
        assert fragment in out + err
    assert "\\u03" not in out + err  # no Greek letter as an escape
    if encoding == "ascii":
        assert (out + err).isascii()


def message_characters() -> dict[str, list[str]]:
    """The characters beyond ASCII in minifw's strings that are not docstrings (what it can print), with their files."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "minifw").rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                for character in set(node.value) - set(ASCII_NAMES):
                    if not character.isascii() and path.name != "console.py":
                        found.setdefault(character, []).append(path.relative_to(ROOT).as_posix())
    return found


def test_every_symbol_minifw_prints_has_an_ascii_name() -> None:
    """The table holds the symbols of minifw's messages; a new one would be written as a backslash escape."""
    assert message_characters() == {}
    assert all(name.isascii() for name in ASCII_NAMES.values())


def test_a_utf8_console_keeps_the_slides_symbols() -> None:
    result = minifw("train", "--help", encoding="utf-8")
    assert result.returncode == 0
    assert "learning rate α (default 1.2)" in result.stdout.decode("utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal (POSIX)")
@pytest.mark.parametrize(
    ("terminal", "option", "shown"),
    [(True, None, True), (False, None, False), (False, "--progress", True), (True, "--no-progress", False)],
)
def test_the_progress_bar_is_shown_on_a_terminal_unless_told(terminal: bool, option: str | None, shown: bool) -> None:
    """The bar filled logs and pipes with carriage returns: by default it is drawn on an interactive terminal only."""
    pytest.importorskip("tqdm")
    import fcntl
    import pty
    import termios

    args = [sys.executable, "-m", "minifw", "train", "--data", "xor", "--epochs", "200", *([option] if option else [])]
    if not terminal:
        result = subprocess.run(args, capture_output=True, text=True, timeout=300, check=False)
        assert result.returncode == 0, result.stderr
        assert ("training:" in result.stderr) == shown
        assert "training accuracy" in result.stdout
        return
    controller, terminal_end = pty.openpty()
    fcntl.ioctl(terminal_end, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 24 rows, 100 columns
    try:
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=terminal_end)
    finally:
        os.close(terminal_end)
    seen = bytearray()
    try:
        while True:
            try:
                chunk = os.read(controller, 1 << 16)
            except OSError:  # EIO: the process closed the terminal (it ended)
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(controller)
    out, _ = process.communicate(timeout=300)
    assert process.returncode == 0, seen.decode(errors="replace")
    assert b"training accuracy" in out
    assert (b"training:" in seen) == shown
    if shown:
        assert b"200/200" in seen
