"""The wording of fixes: an option named as the caller spells it, ``label='y'`` in Python, ``--label y`` on the command
line."""

import shlex
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Hints:
    """How a fix names an option: as Python arguments (``label='y'``) or command-line options (``--label y``)."""

    command_line: bool

    def label(self, name: str) -> str:
        """The option that picks the label column ``name``."""
        return f"--label {shlex.quote(name)}" if self.command_line else f"label={name!r}"

    def delimiter(self, separator: str) -> str:
        """The option that reads a file separated by ``separator``."""
        if self.command_line:
            return f"--delimiter {'tab' if separator == chr(9) else shlex.quote(separator)}"
        return f"delimiter={separator!r}"

    def drop(self, name: str) -> str:
        """The option that leaves the column ``name`` out of the features."""
        return self.columns("drop", [name])

    def positive(self, value: str) -> str:
        """The option that makes the label's value ``value`` class 1."""
        return f"--positive {shlex.quote(value)}" if self.command_line else f"positive={value!r}"

    def drop_incomplete(self) -> str:
        """The option that leaves out the rows with missing cells."""
        return "--drop-incomplete" if self.command_line else "drop_incomplete=True"

    def setting(self, option: str, value: float) -> str:
        """A training setting (``lr`` or ``epochs``) with a new value: ``--lr 0.12`` or ``learning_rate=0.12``."""
        python = {"lr": "learning_rate", "epochs": "max_epochs"}[option]
        text = str(int(value)) if option == "epochs" else f"{value:g}"
        return f"--{option} {text}" if self.command_line else f"{python}={text}"

    def option(self, option: str) -> str:
        """The name of a column option (``label``, ``features``, ``drop``) as the caller spells it."""
        return f"--{option}" if self.command_line else f"{option}="

    def columns(self, option: str, names: Sequence[str]) -> str:
        """The option ``label``, ``features`` or ``drop`` with the column ``names``."""
        if option == "label":
            return self.label(names[0])
        if self.command_line:
            return f"--{option} {shlex.quote(','.join(names))}"
        return f"{option}={list(names)!r}"

    def standardize(self) -> str:
        """The fix for features on large or very different scales."""
        if self.command_line:
            return "leave out --no-standardize: minifw train standardizes the features by default"
        return "standardize them: mf.Standardizer().fit_transform(X), or a fitted mf.Standardizer as the first layer"


PYTHON_HINTS = Hints(command_line=False)
COMMAND_LINE_HINTS = Hints(command_line=True)
