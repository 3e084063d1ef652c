"""The command line: ``minifw demo``, ``train``, ``predict``, ``check`` and ``exercises`` (also ``python -m minifw``).

Every failure the user can cause (a bad argument, a missing or broken file, training that
diverges) ends with one line on stderr, ``minifw: error: ...``, and a non-zero exit code:
2 for bad arguments, 3 for a model that learned nothing (``minifw train``: no better than
always predicting the majority class; the line names the likely causes), 1 for everything
else. Never a traceback. Every warning is one line too,
``minifw: warning: ...``. On a console that cannot show the slides' symbols (a code page such as
cp1252, or ASCII), they are written as ASCII names: alpha, sigma, dJ/dz.
"""

import os
import sys
import warnings
from collections.abc import Sequence

from .. import __version__
from ..checking import command as check_command
from ..errors import ConvergenceWarning, DataWarning, MinifwError
from . import demo, exercises, predict, train
from .arguments import Parser, parse_arguments
from .console import console_text, error_line, warn
from .demo import DEMO_EPOCHS, DEMO_LEARNING_RATE
from .train import BUILT_IN_DATA, LEARNED_NOTHING, check_csv_options

__all__ = ["BUILT_IN_DATA", "DEMO_EPOCHS", "DEMO_LEARNING_RATE", "LEARNED_NOTHING", "build_parser", "main"]


COMMANDS = {"demo": demo, "train": train, "predict": predict, "check": check_command, "exercises": exercises}
"""Each command's module: its ``HELP`` and ``DESCRIPTION``, ``add_arguments`` (its options) and ``run``."""


def build_parser() -> Parser:
    """The ``minifw`` argument parser with its five commands, and ``--version``."""
    about = "The slides' neural network with one hidden layer: train it, trace it, use it."
    parser = Parser(prog="minifw", description=about)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="{" + ",".join(COMMANDS) + "}")
    for name, module in COMMANDS.items():
        command = commands.add_parser(name, help=module.HELP, description=module.DESCRIPTION)
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    parser.commands = {name: command for name, command in commands.choices.items() if isinstance(command, Parser)}
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    with console_text(), warnings.catch_warnings():
        warnings.showwarning = warn
        for category in (DataWarning, ConvergenceWarning):  # shown, once per place, whatever the filters say
            warnings.simplefilter("default", category)
        parser = build_parser()
        args = parse_arguments(parser, argv)
        check_csv_options(parser, args)
        try:
            code: int = args.run(args, sys.stdout)
            sys.stdout.flush()
        except BrokenPipeError:  # the reader (e.g. `| head`) stopped reading: not an error worth a message
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing more goes to the pipe
            return 1
        except (MinifwError, OSError, ValueError) as error:
            message = error_line(error)
        except MemoryError as error:
            message = f"not enough memory ({error_line(error) or 'MemoryError'}). Fix: use less data or a smaller model"
        except KeyboardInterrupt:
            print("minifw: interrupted", file=sys.stderr)
            return 130
        except Exception as error:  # a bug: one line still, and the traceback in Python's development mode
            if sys.flags.dev_mode:
                raise
            message = (
                f"unexpected {type(error).__name__}: {error_line(error)}. This is a bug in minifw: please report "
                "it with the command that caused it (python -X dev -m minifw ... shows the traceback)"
            )
        else:
            return code
        print(f"minifw: error: {message}", file=sys.stderr)
        return 1
