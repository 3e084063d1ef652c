"""``minifw exercises DIR``: write the exercise skeletons into DIR, for a student to fill in and grade.

The skeletons live in the package (``minifw/exercises/``, data files that ``import minifw`` does not
import), so an installed wheel has them as a clone does; they are read with importlib.resources. A
file that is already in DIR is never overwritten: it is left alone, and the command says so.
"""

import argparse
import contextlib
import os
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TextIO

from ..errors import MinifwError
from .arguments import Parser

HELP = "write the exercise skeletons (Dense, Sigmoid, BinaryCrossEntropy) into DIR, to fill in and grade"
DESCRIPTION = (
    "Writes the exercises into the folder DIR (made if it does not exist): one file per slide class, whose forward "
    "and backward raise NotImplementedError with the slide equation to write. A file already in DIR is never "
    "overwritten; the command says which it left alone. Then grade a file with 'minifw check DIR/dense.py'."
)

SUFFIXES = (".py", ".ipynb")
"""The files of ``minifw/exercises/`` that are exercises: the skeletons, and a notebook if there is one."""


class ExerciseFolderError(MinifwError, ValueError):
    """The folder given to ``minifw exercises`` cannot hold the exercises (a file, or not writable)."""


def add_arguments(command: Parser) -> None:
    """``minifw exercises`` and its argument."""
    command.add_argument("folder", metavar="DIR", help="the folder to write the exercises into, e.g. my-exercises")


def skeletons() -> list[Traversable]:
    """The exercise files shipped with minifw, by name."""
    found = [path for path in (files("minifw") / "exercises").iterdir() if path.name.endswith(SUFFIXES)]
    return sorted(found, key=lambda path: path.name)


def write_exercises(folder: str) -> tuple[list[str], list[str]]:
    """Write every skeleton into ``folder``; return the paths written and the paths left alone (already there).

    A failure (a folder that cannot be made or written to, a full disk) removes what this call wrote and the
    folders it made, so that a failed call changes nothing.
    """
    absolute = Path(folder).absolute()
    made = [path for path in (absolute, *absolute.parents) if not os.path.lexists(path)]  # innermost first
    written: list[str] = []
    left_alone: list[str] = []
    try:
        os.makedirs(folder, exist_ok=True)
        for source in skeletons():
            path = os.path.join(folder, source.name)
            try:
                with open(path, "xb") as file:  # "x": created here, never an existing file overwritten
                    written.append(path)
                    file.write(source.read_bytes())
            except FileExistsError:
                left_alone.append(path)
    except OSError as error:
        for remove, made_path in [(os.remove, p) for p in reversed(written)] + [(os.rmdir, p) for p in made]:
            with contextlib.suppress(OSError):  # undo what can be undone
                remove(made_path)
        fix = "Fix: name a folder you can write to, no part of whose path is a file, e.g. one in your home folder"
        message = f"cannot write the exercises into {folder!r}: {error.strerror or error}. {fix}"
        raise ExerciseFolderError(message) from None
    return written, left_alone


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Write the skeletons into ``args.folder``, one line per file; return 0."""
    written, left_alone = write_exercises(args.folder)
    for path in written:
        print(f"wrote {path}", file=out)
    for path in left_alone:
        print(f"left alone {path}: it is already there (rename it to get a fresh copy)", file=out)
    dense = os.path.join(args.folder, "dense.py")
    print(f"next: write forward and backward in each file, then grade it: minifw check {dense}", file=out)
    return 0
