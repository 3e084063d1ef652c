"""CheckReport: what :func:`minifw.check_layer` and :func:`minifw.check_loss` found, one entry per check."""

import textwrap

from attrs import define, field

HINT_WIDTH = 88
"""Hints are wrapped to lines of at most this many characters (a terminal of 88 columns or more)."""


@define(frozen=True)
class Check:
    """One check of a layer or loss: the rule (a slide equation where there is one), the result and a hint.

    Attributes:
        name: what is checked, e.g. ``"∂J/∂W"`` or ``"backward before forward"``.
        equation: the slide equation or the rule the check holds the code to.
        passed: True or False; None when the check could not run (the message says why).
        max_error: the largest relative error |g - ĝ| / max(|g|, |ĝ|) of a numeric check, else None.
        hint: for a failure, what went wrong and the likely slip, computed from the numbers; else "".
    """

    name: str
    equation: str
    passed: bool | None
    max_error: float | None = None
    hint: str = ""


@define(frozen=True)
class CheckReport:
    """The result of :func:`minifw.check_layer` or :func:`minifw.check_loss`.

    ``str(report)`` has one line per check (``ok``, ``FAIL`` or ``skip``) and, under each
    failure, its hint.

    Attributes:
        subject: what was checked and on what, e.g. ``"Dense(3 -> 4) on x of shape (3, 5)"``.
        checks: one :class:`Check` per check, in the order they ran.
    """

    subject: str
    checks: list[Check] = field(repr=False)

    @property
    def ok(self) -> bool:
        """True when every check passed (none failed, none skipped)."""
        return all(check.passed for check in self.checks)

    @property
    def failed(self) -> list[Check]:
        """The checks that failed or could not run."""
        return [check for check in self.checks if not check.passed]

    def __str__(self) -> str:
        width = max(len(check.name) for check in self.checks)
        lines = [f"{self.subject}:", f"  {'':4}  {'check':<{width}}  {'largest error':<13}  rule"]
        for check in self.checks:
            status = {True: "ok", False: "FAIL", None: "skip"}[check.passed]
            error = "" if check.max_error is None else f"{check.max_error:.1e}"
            lines.append(f"  {status:<4}  {check.name:<{width}}  {error:<13}  {check.equation}")
            if check.hint:
                lines += textwrap.wrap(
                    check.hint, width=HINT_WIDTH, initial_indent=" " * 8 + "-> ", subsequent_indent=" " * 11
                )
        passed = sum(1 for check in self.checks if check.passed)
        lines.append(f"  {passed} of {len(self.checks)} checks passed")
        return "\n".join(lines)
