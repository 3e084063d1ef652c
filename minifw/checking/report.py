"""CheckReport: what :func:`minifw.check_layer` and :func:`minifw.check_loss` found, one entry per check."""

import html
import textwrap
from typing import Any, Literal, Protocol

from attrs import define, field

HINT_WIDTH = 88
"""Hints are wrapped to lines of at most this many characters (a terminal of 88 columns or more)."""

KINDS = {
    "dense": "z = b + W a_prev",
    "sigmoid": "a = σ(z)",
    "bce": "J = -(1/m) Σ {y log a + (1 - y) log(1 - a)}",
}
"""The slide classes a checked class may be meant to be, and the equation each one computes."""

KIND_NAMES = {"dense": "Dense", "sigmoid": "Sigmoid", "bce": "BinaryCrossEntropy"}
"""The slide class of each kind."""

Tier = Literal["math", "advice"]

NO_KIND = (
    "Only forward/backward consistency was checked, not the slides' equations: no kind was given "
    '(kind="dense", "sigmoid" or "bce" checks them)'
)
"""The first line of a report made without a kind."""


@define(frozen=True)
class Check:
    """One check of a layer or loss: the rule (a slide equation where there is one), the result and a hint.

    Attributes:
        name: what is checked, e.g. ``"∂J/∂W"`` or ``"backward before forward"``.
        equation: the slide equation or the rule the check holds the code to.
        passed: True or False (a check that could not run failed, and its hint says why).
        max_error: the largest relative error |g - ĝ| / max(|g|, |ĝ|) of a numeric check, else None.
        hint: for a failure, what went wrong and the likely slip, computed from the numbers; else "".
        tier: ``"math"``, what the slides and training need (it decides ``report.ok``), or
            ``"advice"``, engineering advice (it fails only with ``strict=True``).
    """

    name: str
    equation: str
    passed: bool
    max_error: float | None = None
    hint: str = ""
    tier: Tier = "math"

    def counts(self, strict: bool) -> bool:
        """Whether this check decides the verdict: a math check always, an advice check with ``strict``."""
        return self.tier == "math" or strict

    def as_dict(self) -> dict[str, Any]:
        """The check as JSON-ready data: name, equation, passed, tier, max_error, hint."""
        return {
            "name": self.name,
            "equation": self.equation,
            "passed": self.passed,
            "tier": self.tier,
            "max_error": self.max_error,
            "hint": self.hint,
        }


class _Printer(Protocol):
    """IPython's pretty printer, as much of it as ``_repr_pretty_`` uses."""

    def text(self, text: str) -> None: ...


@define(frozen=True)
class CheckReport:
    """The result of :func:`minifw.check_layer` or :func:`minifw.check_loss`.

    ``str(report)`` has one line per check (``ok``, ``FAIL``, or ``advice`` for engineering
    advice not followed) and, under each failure, its hint. In Jupyter a report shows itself
    as a table, the verdict first and the failures highlighted.

    Attributes:
        subject: what was checked and on what, e.g. ``"Dense(3 -> 4) on x of shape (3, 5)"``.
        checks: one :class:`Check` per check, in the order they ran; the same checks, in the same
            order, for every class of a kind.
        kind: ``"dense"``, ``"sigmoid"`` or ``"bce"``: the slide class whose equations were
            checked; None when only forward/backward consistency was.
        strict: whether engineering advice fails too (``strict=True``).
    """

    subject: str
    checks: list[Check] = field(repr=False)
    kind: str | None = None
    strict: bool = False

    @property
    def ok(self) -> bool:
        """True when every math check passed (and, with ``strict``, every advice check too)."""
        return not self.failed

    @property
    def failed(self) -> list[Check]:
        """The checks that failed and decide the verdict: math checks, and with ``strict`` advice too."""
        return [check for check in self.checks if not check.passed and check.counts(self.strict)]

    @property
    def advice(self) -> list[Check]:
        """The advice checks that failed (shown, and failing the verdict only with ``strict``)."""
        return [check for check in self.checks if not check.passed and check.tier == "advice"]

    @property
    def counted(self) -> list[Check]:
        """The checks that decide the verdict: the math ones, and with ``strict`` the advice ones too."""
        return [check for check in self.checks if check.counts(self.strict)]

    @property
    def verdict(self) -> str:
        """One line: ``PASS: 12 of 12 checks passed`` or ``FAIL: ...``, with the advice not followed."""
        passed = sum(1 for check in self.counted if check.passed)
        line = f"{'PASS' if self.ok else 'FAIL'}: {passed} of {len(self.counted)} checks passed"
        advice = [check for check in self.advice if not check.counts(self.strict)]
        if advice:
            line += f"; {len(advice)} piece{'s' if len(advice) > 1 else ''} of advice (strict=True fails on it)"
        return line

    def status(self, check: Check) -> str:
        """``ok``, ``FAIL``, or ``advice`` for an advice check that failed without ``strict``."""
        if check.passed:
            return "ok"
        return "FAIL" if check.counts(self.strict) else "advice"

    def __str__(self) -> str:
        width = max(len(check.name) for check in self.checks)
        lines = [] if self.kind else [f"{NO_KIND}."]
        lines += [f"{self.subject}:", f"  {'':6}  {'check':<{width}}  {'largest error':<13}  rule"]
        for check in self.checks:
            error = "" if check.max_error is None else f"{check.max_error:.1e}"
            lines.append(f"  {self.status(check):<6}  {check.name:<{width}}  {error:<13}  {check.equation}")
            if check.hint:
                lines += textwrap.wrap(
                    check.hint, width=HINT_WIDTH, initial_indent=" " * 10 + "-> ", subsequent_indent=" " * 13
                )
        lines.append(f"  {self.verdict}")
        return "\n".join(lines)

    def _repr_pretty_(self, printer: _Printer, cycle: bool) -> None:
        """IPython shows the full text of the report."""
        printer.text(str(self) if not cycle else "CheckReport(...)")

    def _repr_html_(self) -> str:
        """Jupyter shows the verdict first, then one row per check, failures and their hints highlighted."""
        colour = "#1a7f37" if self.ok else "#cf222e"
        parts = [
            f'<div class="minifw-check"><p style="font-weight:bold;color:{colour}">{html.escape(self.verdict)}</p>'
        ]
        if not self.kind:
            parts.append(f"<p><em>{html.escape(NO_KIND)}.</em></p>")
        parts.append(f"<p>{html.escape(self.subject)}</p><table><tr><th></th><th>check</th><th>largest error</th>")
        parts.append("<th>rule</th></tr>")
        backgrounds = {"ok": "", "FAIL": ' style="background:#ffebe9"', "advice": ' style="background:#fff8c5"'}
        for check in self.checks:
            status = self.status(check)
            error = "" if check.max_error is None else f"{check.max_error:.1e}"
            cells = (status, check.name, error, check.equation)
            row = "".join(f"<td>{html.escape(cell)}</td>" for cell in cells)
            parts.append(f"<tr{backgrounds[status]}>{row}</tr>")
            if check.hint:
                hint = f'<td></td><td colspan="3">&rarr; {html.escape(check.hint)}</td>'
                parts.append(f"<tr{backgrounds[status]}>{hint}</tr>")
        parts.append("</table></div>")
        return "".join(parts)

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data: subject, kind, strict, ok and the checks."""
        return {
            "subject": self.subject,
            "kind": self.kind,
            "strict": self.strict,
            "ok": self.ok,
            "checks": [check.as_dict() for check in self.checks],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "CheckReport":
        """The report :meth:`as_dict` gave."""
        checks = [Check(**check) for check in data["checks"]]
        return cls(data["subject"], checks, kind=data["kind"], strict=data["strict"])
