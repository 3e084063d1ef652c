"""Every case of tests/reliability_cases.py: the right exception, a message that teaches, nothing changed.

The Reliability page's table is generated from these same runs; the last test fails when it drifts.
"""

import numpy as np
import pytest

import minifw as mf

from .reliability_cases import CASES, END, PAGE, START, Case, page_with_table, render, same_as_float, world


@pytest.mark.parametrize("case", CASES, ids=[f"{case.where}: {case.fault}" for case in CASES])
def test_case(case: Case) -> None:
    check(case)


def test_a_case_that_expects_no_error_fails_when_its_call_does_not_hold() -> None:
    def wrong(w: object) -> str:
        return same_as_float(np.array([1.0]), np.array([2.0]))  # the result differs from the float input's

    with pytest.raises(AssertionError):
        check(Case("anywhere", "a result that differs", wrong, None))


def check(case: Case) -> None:
    """Run ``case`` and check it: the right exception and a message that teaches, or no exception and its words."""
    with world() as w:
        before = w.state()
        if case.error is None:  # no exception expected: any exception (a failed same_as_float, say) fails the test
            text = case.call(w)
            assert isinstance(text, str)
            assert text
        else:
            with pytest.raises(case.error) as info:
                case.call(w)
            text = str(info.value)
            assert type(info.value) is case.error or case.error in (FileNotFoundError,)
            assert isinstance(info.value, ValueError | TypeError | RuntimeError | OSError)
            if isinstance(info.value, mf.MinifwError) and not isinstance(info.value, mf.StateError):
                assert "Fix" in text or "fix" in text or "expected" in text.lower(), text
            assert "operands could not be broadcast" not in text
        for word in case.words:
            assert word in text, text
        if case.error is not None:
            assert w.state() == before, "a failed call changed the model, the loss or the optimizer"


def test_the_reliability_page_shows_the_current_outcomes() -> None:
    page = PAGE.read_text(encoding="utf-8")
    assert START in page
    assert END in page
    assert page == page_with_table(page, render()), (
        "docs/reliability.md is out of date with tests/reliability_cases.py: run python -m tests.reliability_cases"
    )
