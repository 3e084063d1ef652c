"""MkDocs hook: draw the pictures of the docs (``images/*.png``) from minifw's own training runs.

None of these pictures is committed. On every build (``mkdocs build``, and each rebuild of
``mkdocs serve``) this hook trains the models the pages talk about, draws each picture with
minifw's plot functions, and adds it to the site's files as ``images/NAME.png``, as if it were a
file of docs/. So the pages link to them like to any other file (the strict build checks those
links), MkDocs writes them into the built site, and they always show what the current code does.

The data and the initial weights are seeded: every build draws the same pictures. Drawing them all
takes a few seconds; the data-set panels train for a fixed number of epochs to keep it so.
"""

import io
import logging
import time
import warnings
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

import minifw as mf
from minifw.cli import DEMO_EPOCHS, DEMO_LEARNING_RATE

PICTURES = (
    "flower-loss.png",
    "flower-boundary.png",
    "flower-network.png",
    "flower-training.png",
    "demo-network.png",
    "data-sets.png",
    "feature-scaling.png",
)
"""What this hook draws, each into ``images/`` of the site."""

log = logging.getLogger("mkdocs.hooks.pictures")


def slides_network(d0: int, rng: int | np.random.Generator, rng2: int | np.random.Generator) -> mf.Sequential:
    """Sequential(Dense(d0, 4), Sigmoid(), Dense(4, 1), Sigmoid()): the slides' network for d0 features."""
    return mf.Sequential(mf.Dense(d0, 4, rng=rng), mf.Sigmoid(), mf.Dense(4, 1, rng=rng2), mf.Sigmoid())


def png(figure: Figure, dpi: int = 120) -> bytes:
    """The figure as PNG bytes (minifw's plot functions save with dpi 120 too)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def draw_pictures() -> dict[str, bytes]:
    """Train the models the pages show and draw every picture of PICTURES: name -> PNG bytes."""
    loss = mf.BinaryCrossEntropy()
    drawn: dict[str, bytes] = {}

    # The flower, trained exactly as on the page "Training until convergence" (to convergence).
    X, Y = mf.make_flower(400, seed=0)
    flower = slides_network(2, 0, 1)
    history = mf.train(flower, loss, X, Y, learning_rate=1.2, max_epochs=20_000)
    drawn["flower-loss.png"] = png(mf.plot_loss(history))
    drawn["flower-boundary.png"] = png(mf.plot_decision_boundary(flower, X, Y))
    drawn["flower-network.png"] = png(mf.plot_network(flower))
    # What `minifw train --plot` draws (plot_training), for the same run.
    drawn["flower-training.png"] = png(mf.plot_training(flower, history, X, Y))

    # The slides' 3-4-1 network after `minifw demo`: built and trained as the demo does (XOR of x1, x2; x3 is noise).
    X3, Y3 = mf.make_xor(200, noise=0.1, d=3, seed=0)
    rng = np.random.default_rng(0)
    demo = slides_network(3, rng, rng)
    mf.train(demo, loss, X3, Y3, learning_rate=DEMO_LEARNING_RATE, max_epochs=DEMO_EPOCHS)
    drawn["demo-network.png"] = png(mf.plot_network(demo))

    # The four built-in data sets and the boundary 4 hidden units learn on each. The flower is the run
    # above; the others train for a fixed number of epochs, enough for their boundary to settle.
    figure = Figure(figsize=(16.0, 4.2), layout="constrained")
    runs = {
        "xor": (*mf.make_xor(200, seed=0), 2.0, 1000),
        "moons": (*mf.make_moons(200, seed=0), 1.2, 5000),
        "circles": (*mf.make_circles(200, seed=0), 1.2, 2000),
    }
    panels = ("xor", "flower", "moons", "circles")
    for axes, name in zip(figure.subplots(1, 4), panels, strict=True):
        if name == "flower":
            model, X_d, Y_d, epochs = flower, X, Y, history.epochs
        else:
            X_d, Y_d, rate, epochs = runs[name]
            model = slides_network(2, 0, 1)
            mf.train(model, loss, X_d, Y_d, learning_rate=rate, max_epochs=epochs, tol=None)
        mf.plot_decision_boundary(model, X_d, Y_d, ax=axes)
        accuracy = mf.accuracy(Y_d, mf.predict(model, X_d))
        axes.set_title(f"{name}: accuracy {100 * accuracy:.1f}% ({epochs} epochs)")
    drawn["data-sets.png"] = png(figure, dpi=100)
    drawn["feature-scaling.png"] = draw_feature_scaling()
    return drawn


def draw_feature_scaling() -> bytes:
    """The circles times 100, trained as on the page "Training until convergence": without and with a Standardizer.

    The standardized network is trained on the standardized X (what ``minifw train --standardize`` does, and the
    same numbers as training Sequential(scaler, ...) on X, without standardizing X again at every epoch), then
    drawn with the scaler in front, so both boundaries are in the data's own units.
    """
    loss = mf.BinaryCrossEntropy()
    X, Y = mf.make_circles(200, seed=0)
    X_big = 100.0 * X
    plain = slides_network(2, 0, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mf.DataWarning)  # the warnings the page shows: the scales,
        warnings.simplefilter("ignore", mf.LearnedNothingWarning)  # and that the model learned nothing
        plain_history = mf.train(plain, loss, X_big, Y)
    scaler = mf.Standardizer().fit(X_big)
    network = slides_network(2, 0, 1)
    scaled_history = mf.train(network, loss, scaler.transform(X_big), Y)
    scaled = mf.Sequential(scaler, *network.layers)

    figure = Figure(figsize=(14.0, 4.0), layout="constrained")
    curves, before, after = figure.subplots(1, 3)
    curves.plot(np.arange(1, scaled_history.epochs + 1), scaled_history.J, color="#1b9e77", linewidth=2, label="x'")
    curves.plot(np.arange(1, plain_history.epochs + 1), plain_history.J, color="#d95f02", linewidth=2, label="x")
    curves.plot([plain_history.epochs], [plain_history.J[-1]], "o", color="#d95f02")
    curves.annotate(
        f"tol stops it at epoch {plain_history.epochs}",
        (plain_history.epochs, plain_history.J[-1]),
        xytext=(plain_history.epochs, 0.3),
        ha="center",
        fontsize=8,
        arrowprops={"arrowstyle": "->", "color": "#444444"},
    )
    curves.set_xscale("log")
    curves.set_yscale("log")
    curves.set_xlabel("epoch t")
    curves.set_ylabel(r"$J(\theta^{(t)})$")
    curves.set_title("J on x and on standardized x'")
    curves.legend(fontsize=8)
    curves.grid(alpha=0.3)
    for axes, model, history, name in ((before, plain, plain_history, "x"), (after, scaled, scaled_history, "x'")):
        mf.plot_decision_boundary(model, X_big, Y, ax=axes)
        accuracy = mf.accuracy(Y, mf.predict(model, X_big))
        axes.set_title(f"trained on {name}: {100 * accuracy:.1f}% right ({history.epochs} epochs)")
    return png(figure, dpi=100)


def on_files(files: Files, config: MkDocsConfig, **kwargs: Any) -> Files:
    """Draw the pictures and add them to the site as ``images/NAME.png`` (replacing any stale copy in docs/)."""
    start = time.perf_counter()
    for name, content in draw_pictures().items():
        src_uri = f"images/{name}"
        stale = files.get_file_from_path(src_uri)
        if stale is not None:
            files.remove(stale)
        files.append(File.generated(config, src_uri, content=content))
    log.info(f"drew {len(PICTURES)} pictures into images/ in {time.perf_counter() - start:.1f} s")
    return files
