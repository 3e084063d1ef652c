"""Draw the pictures of the docs (docs/images/*.png) from minifw's own training runs.

Run from the repository root (needs the plot extra: pip install -e ".[plot]"):

    python examples/doc_pictures.py            # writes docs/images/
    python examples/doc_pictures.py OUT_DIR    # writes somewhere else

Every run gives the same pictures: the data and the initial weights are seeded.
"""

import subprocess
import sys
from pathlib import Path

from matplotlib.figure import Figure

import minifw as mf

DEFAULT_FOLDER = Path(__file__).resolve().parent.parent / "docs" / "images"


def slides_network(d0: int, hidden: int = 4, seed: int = 0) -> mf.Sequential:
    """Sequential(Dense(d0, hidden), Sigmoid(), Dense(hidden, 1), Sigmoid()), seeded."""
    return mf.Sequential(mf.Dense(d0, hidden, rng=seed), mf.Sigmoid(), mf.Dense(hidden, 1, rng=seed + 1), mf.Sigmoid())


def make_pictures(folder: Path) -> list[Path]:
    """Write every picture of the docs into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    loss = mf.BinaryCrossEntropy()

    # The flower, with the command line's defaults (α = 1.2, 4 hidden units, tol 1e-6).
    X, Y = mf.make_flower(400, seed=0)
    flower = slides_network(2)
    history = mf.train(flower, loss, X, Y, learning_rate=1.2, max_epochs=20_000)
    mf.plot_loss(history, path=folder / "flower-loss.png")
    mf.plot_decision_boundary(flower, X, Y, path=folder / "flower-boundary.png")
    mf.plot_network(flower, path=folder / "flower-network.png")
    written += [folder / f"flower-{name}.png" for name in ("loss", "boundary", "network")]

    # What `minifw train --data flower --plot flower-training.png` draws, from the command itself.
    command = [sys.executable, "-m", "minifw", "train", "--data", "flower", "--no-progress"]
    subprocess.run([*command, "--plot", str(folder / "flower-training.png")], check=True, capture_output=True)
    written.append(folder / "flower-training.png")

    # The slides' 3-4-1 network after the demo's training: XOR of x1, x2; x3 is noise.
    X3, Y3 = mf.make_xor(200, noise=0.1, d=3, seed=0)
    demo = slides_network(3)
    mf.train(demo, loss, X3, Y3, learning_rate=2.0, max_epochs=5000)
    mf.plot_network(demo, path=folder / "demo-network.png")
    written.append(folder / "demo-network.png")

    # The four built-in data sets and the boundary 4 hidden units learn on each.
    figure = Figure(figsize=(16.0, 4.2), layout="constrained")
    data_sets = {
        "xor": mf.make_xor(200, seed=0),
        "flower": (X, Y),
        "moons": mf.make_moons(200, seed=0),
        "circles": mf.make_circles(200, seed=0),
    }
    for axes, (name, (X_d, Y_d)) in zip(figure.subplots(1, 4), data_sets.items(), strict=True):
        model = slides_network(2)
        mf.train(model, loss, X_d, Y_d, learning_rate=2.0 if name == "xor" else 1.2, max_epochs=20_000)
        mf.plot_decision_boundary(model, X_d, Y_d, ax=axes)
        axes.set_title(f"{name}: accuracy {100 * mf.accuracy(Y_d, mf.predict(model, X_d)):.1f}%")
    figure.savefig(folder / "data-sets.png", dpi=100)
    written.append(folder / "data-sets.png")
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_FOLDER
    for path in make_pictures(target):
        print(path)
