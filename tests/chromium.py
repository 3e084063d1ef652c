"""One headless Chromium for all the pages a test opens, driven over its DevTools pipe.

Started with ``--remote-debugging-pipe``, Chromium reads DevTools protocol commands (JSON, each
ended by a NUL byte) from its file descriptor 3 and writes the answers and events to 4: the
standard library is enough to drive it, with no WebDriver and no WebSocket client. Each page
opens in a new tab and runs under virtual time, as ``chromium --virtual-time-budget=N
--dump-dom URL`` runs it, but without starting a browser per page.
"""

import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any

Message = dict[str, Any]

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",  # containers often have a tiny /dev/shm
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Only the test server exists: a page that needs any other host fails visibly.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
)


def find_chromium() -> str | None:
    """The Chromium executable: $MINIFW_CHROMIUM, else the first of chromium, chromium-browser on PATH."""
    configured = os.environ.get("MINIFW_CHROMIUM")
    if configured:
        return configured
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


_ON_FDS_3_AND_4 = """
import os, sys
ends = [int(sys.argv[1]), int(sys.argv[2])]
copies = [os.dup(end) for end in ends]
os.dup2(copies[0], 3)
os.dup2(copies[1], 4)
os.set_inheritable(3, True)  # dup2 of a descriptor onto itself leaves it close-on-exec
os.set_inheritable(4, True)
for end in ends:
    if end not in (3, 4):
        os.close(end)
os.execvp(sys.argv[3], sys.argv[3:])
"""


class ChromiumError(RuntimeError):
    """Chromium exited, answered a command with an error, or did not answer in time."""


class Chromium:
    """A headless Chromium with an empty profile in ``profile``; use it in a ``with`` block."""

    def __init__(self, executable: str, flags: Sequence[str], profile: str, timeout: float = 180.0) -> None:
        self.timeout = timeout
        # Chromium's stderr, for the message of a failure; closed by close().
        self._log = tempfile.TemporaryFile()  # noqa: SIM115
        commands_read, self._commands = os.pipe()
        self._answers, answers_written = os.pipe()
        # A small Python process puts the pipe ends on fds 3 and 4, then becomes Chromium (no preexec_fn,
        # which is not safe in a process with threads, such as the one serving the pages).
        command = [executable, *flags, "--remote-debugging-pipe", f"--user-data-dir={profile}"]
        self._process = subprocess.Popen(
            [sys.executable, "-c", _ON_FDS_3_AND_4, str(commands_read), str(answers_written), *command],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._log,
            pass_fds=(commands_read, answers_written),
        )
        os.close(commands_read)
        os.close(answers_written)
        self._buffer = b""
        self._last_id = 0
        self._backlog: list[Message] = []

    def __enter__(self) -> "Chromium":
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Ask Chromium to quit, and kill it if it does not within 10 seconds."""
        if self._process.poll() is None:
            try:
                self._send("Browser.close")
                self._process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self._process.kill()
                self._process.wait()
        os.close(self._commands)
        os.close(self._answers)
        self._log.close()

    def log(self) -> str:
        """The end of what Chromium wrote to stderr."""
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")[-3000:]

    def dump_dom(self, url: str, virtual_time_budget_ms: int) -> str:
        """The DOM of ``url`` once its scripts and timers ran for ``virtual_time_budget_ms`` of virtual time.

        Virtual time runs only while no request is pending and jumps over idle waits, so a page that
        typesets its math on load has finished when the budget is spent.
        """
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        try:
            session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            # Paused until the navigation has started, then running while no request is pending.
            self.call("Emulation.setVirtualTimePolicy", {"policy": "pause"}, session)
            self.call("Page.navigate", {"url": url}, session)
            budget = {"policy": "pauseIfNetworkFetchesPending", "budget": virtual_time_budget_ms}
            self.call("Emulation.setVirtualTimePolicy", budget, session)
            expired = "Emulation.virtualTimeBudgetExpired"
            self._receive(lambda m: m.get("method") == expired and m.get("sessionId") == session)
            expression = "document.documentElement.outerHTML"
            result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session)
            dom: str = result["result"]["value"]
            return dom
        finally:
            self.call("Target.closeTarget", {"targetId": target})

    def open(self, url: str, width: int = 1280, height: int = 900) -> "Tab":
        """A new tab, ``width`` x ``height`` CSS pixels, showing ``url`` once loaded; use it in a ``with`` block.

        Unlike ``dump_dom``, the tab runs in real time: a test can click in it and wait for what follows.
        """
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        tab = Tab(self, target, session)
        metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
        self.call("Emulation.setDeviceMetricsOverride", metrics, session)
        tab.go(url)
        return tab

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> Any:
        """Send one command (to a tab's ``session``, or to the browser) and return its result."""
        number = self._send(method, params, session)
        answer = self._receive(lambda m: m.get("id") == number)
        if "error" in answer:
            raise ChromiumError(f"{method}: {answer['error']}")
        return answer["result"]

    def _send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> int:
        self._last_id += 1
        message: Message = {"id": self._last_id, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self._commands, data) :]
        return self._last_id

    def _receive(self, wanted: Callable[[Message], bool]) -> Message:
        """The first message ``wanted`` accepts; answers and budget events read meanwhile are kept for later."""
        for index, message in enumerate(self._backlog):
            if wanted(message):
                return self._backlog.pop(index)
        deadline = time.monotonic() + self.timeout
        while True:
            message = self._read(deadline)
            if wanted(message):
                return message
            if "id" in message or message.get("method") == "Emulation.virtualTimeBudgetExpired":
                self._backlog.append(message)  # other events (none is enabled but these) are dropped

    def _read(self, deadline: float) -> Message:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self._answers], [], [], remaining)[0]:
                raise ChromiumError(f"no answer from Chromium in {self.timeout} s:\n{self.log()}")
            chunk = os.read(self._answers, 1 << 20)
            if not chunk:
                raise ChromiumError(f"Chromium exited (code {self._process.wait()}):\n{self.log()}")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        decoded: Message = json.loads(message)
        return decoded


class Tab:
    """A tab of a ``Chromium``, made by ``Chromium.open``: navigate, evaluate JavaScript, wait for a condition."""

    def __init__(self, browser: Chromium, target: str, session: str) -> None:
        self.browser, self.target, self.session = browser, target, session

    def __enter__(self) -> "Tab":
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.browser.call("Target.closeTarget", {"targetId": self.target})

    def evaluate(self, expression: str) -> Any:
        """The value of the JavaScript ``expression`` in the page (JSON-like values only)."""
        params = {"expression": expression, "returnByValue": True, "awaitPromise": True}
        result = self.browser.call("Runtime.evaluate", params, self.session)
        if "exceptionDetails" in result:
            raise ChromiumError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 60.0) -> Any:
        """The first truthy value of ``expression``, evaluated every 50 ms (also while a new page loads)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                value = self.evaluate(expression)
            except ChromiumError:  # the page's context is gone while the next one loads
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                raise ChromiumError(f"waited {timeout} s for {expression}; last value {value!r}")
            time.sleep(0.05)

    def go(self, url: str) -> None:
        """Open ``url`` in this tab and wait until it has loaded."""
        self.browser.call("Page.navigate", {"url": url}, self.session)
        self.wait_for(f"location.href === {json.dumps(url)} && document.readyState === 'complete'")
