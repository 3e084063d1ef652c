"""``minifw demo``: the slides' 3-4-1 network on built-in data, one step traced, then trained."""

import argparse
from typing import TextIO

from ..data.toy import make_xor
from ..losses.binary_cross_entropy import BinaryCrossEntropy
from ..training.metrics import accuracy, predict
from ..training.trace import trace
from .arguments import Parser, add_progress, non_negative_int, show_progress
from .console import warn
from .train import slides_network, train_and_report

DEMO_LEARNING_RATE = 2.0
DEMO_EPOCHS = 5000
PICTURES = 'add --plot flower.png for the pictures, with matplotlib: pip install "minifw[plot]"'


HELP = "train the slides' 3-4-1 network on built-in data, showing one traced step and J falling"
DESCRIPTION = (
    "Trains Sequential(Dense(3, 4), Sigmoid(), Dense(4, 1), Sigmoid()) on XOR data with three features "
    "(x3 is noise the label does not depend on): prints the trace of one example, J falling, the accuracy."
)


def add_arguments(demo: Parser) -> None:
    """``minifw demo`` and its options."""
    seed = "seed for the data and the initial weights (default 0)"
    demo.add_argument("--seed", type=non_negative_int, default=0, help=seed)
    add_progress(demo)


def run(args: argparse.Namespace, out: TextIO) -> int:
    progress = show_progress(args)
    X, Y = make_xor(200, noise=0.1, d=3, seed=args.seed)
    model = slides_network(3, 4, args.seed)
    print("minifw demo: the slides' network with one hidden layer", file=out)
    print(f"  model: {model!r}", file=out)
    print("  data:  XOR of x1 and x2, m = 200 examples; x3 is noise the label does not depend on\n", file=out)
    print("Step 1: the parameters are initialised at random. One step on the first example, value by value:", file=out)
    print(f"\n{trace(model, BinaryCrossEntropy(), X[:, :1], Y[:, :1], learning_rate=DEMO_LEARNING_RATE)}\n", file=out)
    print(f"Steps 2-4 on all {X.shape[1]} examples (α = {DEMO_LEARNING_RATE:g}) until convergence:", file=out)
    _, caught = train_and_report(
        model, X, Y, out, learning_rate=DEMO_LEARNING_RATE, max_epochs=DEMO_EPOCHS, tol=1e-6, progress=progress
    )
    print(f"training accuracy: {100 * accuracy(Y, predict(model, X)):.2f}% on m = {X.shape[1]} examples", file=out)
    for message in caught:
        warn(message)
    print(f"\nNext: minifw train --data flower --save flower.npz ({PICTURES})", file=out)
    return 0
