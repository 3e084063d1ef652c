"""Shared fixtures: the slides' 3-4-1 network, mypy with one cache for the whole test run, a browser."""

import functools
import http.server
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from filelock import FileLock
from hypothesis import settings

import minifw as mf

from .chromium import find_chromium

# No per-example deadline: what these tests check is values, not speed, and on a loaded machine a
# single example can exceed Hypothesis's default 200 ms (speed lives in benchmarks/).
settings.register_profile("minifw", deadline=None)
settings.load_profile("minifw")


def slides_network(seed: int = 0) -> mf.Sequential:
    """Sequential(Dense(3, 4), Sigmoid(), Dense(4, 1), Sigmoid()): the slides' network."""
    return mf.Sequential(mf.Dense(3, 4, rng=seed), mf.Sigmoid(), mf.Dense(4, 1, rng=seed + 1), mf.Sigmoid())


@pytest.fixture
def model() -> mf.Sequential:
    net = slides_network()
    # Non-zero biases, so that a bias mistake cannot hide behind b = 0.
    rng = np.random.default_rng(42)
    for p in net.parameters():
        p.value[...] = rng.normal(size=p.shape)
    return net


def dense_pair(model: mf.Sequential) -> tuple[mf.Dense, mf.Dense]:
    """The two Dense layers of the slides' network (layers 0 and 2)."""
    dense1, dense2 = model[0], model[2]
    assert isinstance(dense1, mf.Dense)
    assert isinstance(dense2, mf.Dense)
    return dense1, dense2


def manual_descent(model: mf.Sequential, X: np.ndarray, Y: np.ndarray, rate: float, epochs: int) -> list[float]:
    """The README's manual loop: the reference that train must reproduce bit for bit."""
    loss = mf.BinaryCrossEntropy()
    opt = mf.GradientDescent(model.parameters(), learning_rate=rate)
    Js = []
    for _ in range(epochs):
        Js.append(loss.forward(model.forward(X), Y))
        model.backward(loss.backward())
        opt.step()
    return Js


ROOT = Path(__file__).resolve().parent.parent
Mypy = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="session")
def mypy(run_tmp_path: Path) -> Mypy:
    """``mypy --strict ARGS``, run from the repository root, with one cache for the whole test run.

    The first run fills the cache (NumPy's stubs take most of its time); the others reuse it. The
    runs take turns (a file lock, across pytest-xdist workers), so that none writes the cache while
    another does, and none starts cold while the first one fills it.
    """
    cache = run_tmp_path / "mypy-cache"
    lock = FileLock(run_tmp_path / "mypy-cache.lock")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--cache-dir", str(cache), *args]
        with lock:
            return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)

    return run


def unwritable_folder(tmp_path: Path) -> Path:
    """A folder in which no file can be created (as root, whom permissions do not stop: /sys)."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    for candidate in (folder, Path("/sys")):
        try:
            (candidate / "probe").touch()
        except OSError:
            return candidate
        (candidate / "probe").unlink()
    pytest.skip("no folder here refuses new files")


@pytest.fixture(scope="session")
def chromium() -> str:
    """The Chromium executable; the test is skipped, with how to install one, when there is none."""
    found = find_chromium()
    if found is None:
        pytest.skip(
            "no Chromium found (looked for $MINIFW_CHROMIUM, chromium, chromium-browser): the browser "
            "checks need one. Install Debian's package with: apt-get install -y chromium"
        )
    return found


@pytest.fixture(scope="session")
def served_site(site_dir: Path) -> Iterator[str]:
    """The built site over HTTP on 127.0.0.1 (fonts and scripts load as they would from any web server)."""

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = functools.partial(QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
