"""Write two CSV files of 2,000 loans with two features and about 8% defaults (seeded).

loans.csv: the default drawn from a logistic model with real signal, logit = -3 + x1 + 0.5 x2.
noise.csv: the same features, the same defaults shuffled across the rows, so that the features say nothing.

    python docs/data/loans.py FOLDER      # writes FOLDER/loans.csv and FOLDER/noise.csv
"""

import sys
from pathlib import Path

import numpy as np


def write(folder: Path, m: int = 2000, seed: int = 3) -> tuple[Path, Path]:
    """Write ``loans.csv`` and ``noise.csv`` into ``folder``; return their paths."""
    rng = np.random.default_rng(seed)
    x1, x2 = rng.normal(size=(2, m)).round(3)
    p = 1 / (1 + np.exp(-(-3 + x1 + 0.5 * x2)))
    signal = (rng.random(m) < p).astype(int)
    noise = rng.permutation(signal)  # the same labels, shuffled: nothing left to learn
    paths = folder / "loans.csv", folder / "noise.csv"
    for path, label in zip(paths, (signal, noise), strict=True):
        rows = "".join(f"{a:g},{b:g},{y}\n" for a, b, y in zip(x1, x2, label, strict=True))
        path.write_text("x1,x2,default\n" + rows, encoding="utf-8")
    return paths


if __name__ == "__main__":
    for path in write(Path(sys.argv[1])):
        print(f"wrote {path.name}")
