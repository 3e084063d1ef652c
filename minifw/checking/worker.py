"""``python -m minifw.checking.worker FILE.py[:CLASS] --strict|--no-strict [--as KIND]``: grade one file.

``minifw check`` runs this in a process of its own for each file, and reads one line of JSON
from its standard output: the submissions. What the file itself prints goes to standard error.
"""

import argparse
import contextlib
import json
import sys

from .grading import grade_file


def main(argv: list[str] | None = None) -> int:
    """Grade the file and print its submissions as one line of JSON."""
    parser = argparse.ArgumentParser(prog="python -m minifw.checking.worker")
    parser.add_argument("target")
    parser.add_argument("--strict", action=argparse.BooleanOptionalAction, default=False)
    parser.add_argument("--as", dest="kind", default=None)
    args = parser.parse_args(argv)
    stdout = sys.stdout
    with contextlib.redirect_stdout(sys.stderr):  # the student's prints stay out of the JSON
        submissions = grade_file(args.target, args.kind, args.strict)
    print(json.dumps([submission.to_dict() for submission in submissions]), file=stdout)
    return 0


if __name__ == "__main__":  # pragma: no cover - run as a process by minifw check
    sys.exit(main())
