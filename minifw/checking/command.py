"""``minifw check PATH...``: grade the layers and losses of students' files with check_layer and check_loss.

The command line adds the subcommand with :func:`add_arguments`; everything else about it
lives here. Each file is graded in a process of its own (``python -m minifw.checking.worker``), so
that a file that hangs or crashes stops only itself.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, TextIO

from .grading import ExerciseFileError, Submission, error_submission, kind_rules, number, split_target
from .report import KINDS

HELP = "grade layers and losses written from the slides (such as the exercises written by 'minifw exercises DIR')"
DESCRIPTION = (
    "Runs mf.check_layer or mf.check_loss on each Layer and Loss class defined in each FILE.py (or only "
    "CLASS), and in each .py file of each FOLDER: one line per check, the hint for each failure. A class "
    "that declares its kind (kind = 'dense', as the exercises do), or gets one from --as, is held to the "
    "slides' equations whatever its names; it is made and checked at several shapes. Each file runs in a "
    "process of its own. Exit code 0 when every class passes, 1 when any fails, 2 when any file could not "
    "be loaded or run (2 wins)."
)
DEFAULT_TIMEOUT = 60.0
"""Seconds a file gets to load and be checked, by default."""

__all__ = ["DESCRIPTION", "HELP", "ExerciseFileError", "add_arguments", "run", "split_target"]


def add_arguments(command: argparse.ArgumentParser) -> None:
    """Give the ``check`` subcommand its arguments and what it runs."""
    command.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="a Python file (FILE.py, or FILE.py:CLASS for one class of it), or a folder: each .py file in it",
    )
    command.add_argument(
        "--as",
        dest="kind",
        choices=list(KINDS),
        help="what the classes are meant to be (layers: dense or sigmoid; losses: bce), for classes that "
        "do not declare a kind: their slide equations are checked, whatever the names",
    )
    command.add_argument("--strict", action="store_true", help="engineering advice fails too (and counts in the score)")
    command.add_argument(
        "--json", action="store_true", help="print one JSON object with every submission and check, for grading"
    )
    command.add_argument(
        "--gradescope",
        metavar="FILE",
        help="write Gradescope's autograder results (results.json) for the one submission given",
    )
    command.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="S",
        help=f"seconds each file gets to load and be checked (default {DEFAULT_TIMEOUT:g}); then it is an error",
    )
    command.add_argument(
        "--points",
        action="append",
        default=[],
        metavar="CHECK=P",
        help="points for a check, by its name (e.g. 'dJ/dW=2'); each math check is worth 1 by default, "
        "advice 0 (1 with --strict)",
    )
    command.set_defaults(run=run)


def python_files(path: str) -> list[str]:
    """The targets of one PATH: itself for a file (or FILE.py:CLASS), each .py file for a folder (sorted)."""
    if not os.path.isdir(path):
        return [path]
    found = []
    for root, folders, files in os.walk(path):
        folders[:] = sorted(f for f in folders if not f.startswith((".", "_")))
        found += [os.path.join(root, f) for f in sorted(files) if f.endswith(".py") and not f.startswith((".", "_"))]
    return found


def run_worker(target: str, kind: str | None, strict: bool, timeout: float) -> list[Submission]:
    """The submissions of one file, graded by ``python -m minifw.checking.worker`` in a process of its own."""
    path = split_target(target)[0]
    command = [sys.executable, "-m", "minifw.checking.worker", "--strict" if strict else "--no-strict"]
    if kind:
        command += ["--as", kind]
    command += ["--", target]  # a file named -f.py is a file
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            env=env,
        )
    except subprocess.TimeoutExpired:
        message = f"{path}: did not finish within --timeout {timeout:g} s (a loop that never ends, or input()?)"
        return [error_submission(path, None, kind, message)]
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        last = (result.stderr.strip().splitlines() or [f"exit code {result.returncode}"])[-1]
        message = f"{path}: the process checking it stopped ({last})"
        return [error_submission(path, None, kind, message)]
    return [Submission.from_dict(data) for data in json.loads(lines[-1])]


def parse_points(specs: list[str]) -> dict[str, float] | str:
    """``--points NAME=P`` as {NAME: P}; for anything else, the message that says what was expected."""
    points = {}
    for spec in specs:
        name, equals, value = spec.rpartition("=")
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if not equals or not name or not number >= 0.0:
            return f"--points {spec!r}: expected CHECK=P with P >= 0, e.g. --points 'dJ/dW=2'"
        points[name] = number
    return points


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Grade every target; print the reports (or JSON); return 0 when all pass, 1 when any fails, 2 on any error."""
    points = parse_points(args.points)
    if isinstance(points, str) or not args.timeout > 0:
        message = points if isinstance(points, str) else f"--timeout {args.timeout:g}: expected seconds > 0, e.g. 60"
        print(f"minifw: error: {message}", file=sys.stderr)
        return 2
    targets = [target for path in args.paths for target in python_files(path)]
    if args.gradescope and len(targets) != 1:
        message = f"--gradescope writes the results of one submission; {len(targets)} files were given"
        print(f"minifw: error: {message}. Fix: grade one file at a time", file=sys.stderr)
        return 2
    missing = [path for path in args.paths if os.path.isdir(path) and not python_files(path)]
    submissions = [error_submission(path, None, args.kind, f"{path}: no .py file in this folder") for path in missing]
    for target in targets:
        submissions += run_worker(target, args.kind, args.strict, args.timeout)
    known = {name for s in submissions for name in s.check_names()}
    known |= {check.name for kind in KINDS for check in kind_rules(kind)}
    unknown = [given for given in points if not any(Submission.matches(given, name) for name in known)]
    if unknown:
        message = f"--points {unknown[0]!r} names no check. Fix: one of: {', '.join(sorted(known))}"
        print(f"minifw: error: {message}", file=sys.stderr)
        return 2
    results = [s.as_dict(points, args.strict) for s in submissions]
    if args.json:
        print(json.dumps({"submissions": results}, indent=2, ensure_ascii=False), file=out)
    else:
        print_reports(submissions, out)
    if args.gradescope:
        write_gradescope(Path(args.gradescope), submissions, points, args.strict)
    out.flush()
    return exit_code(submissions, quiet=args.json)


def print_reports(submissions: list[Submission], out: TextIO) -> None:
    """Each report, a blank line between them; each error as one line on stderr."""
    shown = 0
    for submission in submissions:
        if submission.report is None:
            print(f"minifw: error: {submission.message}", file=sys.stderr)
            continue
        where = f"{submission.file}:{submission.cls}"
        print(f"\n{where}\n{submission.report}" if shown else f"{where}\n{submission.report}", file=out)
        shown += 1


def exit_code(submissions: list[Submission], quiet: bool) -> int:
    """2 when any submission could not be loaded or run, else 1 when any failed (said on stderr), else 0."""
    failed = [s for s in submissions if s.status == "fail"]
    if failed and not quiet:
        names = ", ".join(
            f"{s.file}:{s.cls} ({len(s.report.failed)} of {len(s.report.counted)})" for s in failed if s.report
        )
        print(f"minifw: error: checks failed: {names}; the hints are above", file=sys.stderr)
    if any(s.status == "error" for s in submissions):
        return 2
    return 1 if failed else 0


def write_gradescope(path: Path, submissions: list[Submission], points: dict[str, float], strict: bool) -> None:
    """Gradescope's autograder results (results.json): the total score and one test per check of each class."""
    tests: list[dict[str, Any]] = []
    for submission in submissions:
        prefix = f"{submission.cls}: " if submission.cls else ""
        for check, worth in zip(submission.checks(), submission.worth(points, strict), strict=True):
            tests.append(
                {
                    "name": f"{prefix}{check.name}",
                    "score": number(worth if check.passed else 0.0),
                    "max_score": number(worth),
                    "status": "passed" if check.passed else "failed",
                    "output": check.hint or f"ok: {check.equation}",
                }
            )
    summary = "; ".join(f"{s.cls or s.file}: {s.status}" for s in submissions)
    data = {"score": number(sum(test["score"] for test in tests)), "output": summary, "tests": tests}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
