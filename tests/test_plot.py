"""Pictures: each one is produced headless and is not blank; a missing matplotlib is a clear error."""

import sys
from pathlib import Path

import numpy as np
import pytest

import minifw as mf

from .pictures import assert_png_is_a_picture


@pytest.fixture(scope="module")
def trained() -> tuple[mf.Sequential, mf.History, np.ndarray, np.ndarray]:
    X, Y = mf.make_moons(100, seed=0)
    model = mf.Sequential(mf.Dense(2, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid())
    history = mf.train(model, mf.BinaryCrossEntropy(), X, Y, learning_rate=2.0, max_epochs=500, tol=None)
    return model, history, X, Y


def test_loss_curve(trained: tuple[mf.Sequential, mf.History, np.ndarray, np.ndarray], tmp_path: Path) -> None:
    _, history, _, _ = trained
    figure = mf.plot_loss(history, path=tmp_path / "loss.png")
    assert_png_is_a_picture(tmp_path / "loss.png")
    (axes,) = figure.axes
    line = axes.get_lines()[0]
    np.testing.assert_array_equal(line.get_ydata(), history.J)
    assert axes.get_xlabel() == "epoch t"
    mf.plot_loss([1.0, 0.5, 0.25], path=tmp_path / "list.png")
    assert_png_is_a_picture(tmp_path / "list.png")
    with pytest.raises(mf.ShapeError):
        mf.plot_loss([])


def test_decision_boundary(trained: tuple[mf.Sequential, mf.History, np.ndarray, np.ndarray], tmp_path: Path) -> None:
    model, _, X, Y = trained
    figure = mf.plot_decision_boundary(model, X, Y, path=tmp_path / "boundary.png")
    assert_png_is_a_picture(tmp_path / "boundary.png")
    from matplotlib.collections import PathCollection

    scatters = [c for c in figure.axes[0].collections if type(c) is PathCollection]
    offsets = np.vstack([c.get_offsets() for c in scatters])
    assert len(offsets) == X.shape[1]  # every point is drawn
    with pytest.raises(mf.ShapeError):
        mf.plot_decision_boundary(model, np.ones((3, 5)), np.ones((1, 5)))


def test_network_diagram(trained: tuple[mf.Sequential, mf.History, np.ndarray, np.ndarray], tmp_path: Path) -> None:
    model = mf.Sequential(mf.Dense(3, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid())
    figure = mf.plot_network(model, path=tmp_path / "network.png")
    assert_png_is_a_picture(tmp_path / "network.png")
    axes = figure.axes[0]
    assert len(axes.patches) == 3 + 4 + 1  # a circle per neuron
    edges = axes.get_lines()
    assert len(edges) == 3 * 4 + 4 * 1  # an edge per weight
    widths = sorted(line.get_linewidth() for line in edges)
    assert widths[0] < widths[-1]  # widths follow |w|
    with pytest.raises(mf.ArchitectureError):
        mf.plot_network(mf.Sequential(mf.Sigmoid()))


def test_training_summary(trained: tuple[mf.Sequential, mf.History, np.ndarray, np.ndarray], tmp_path: Path) -> None:
    model, history, X, Y = trained
    figure = mf.plot_training(model, history, X, Y, path=tmp_path / "all.png")
    assert len(figure.axes) == 3
    assert_png_is_a_picture(tmp_path / "all.png")


def test_without_matplotlib_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(mf.OptionalDependencyError, match=r"minifw\[plot\]"):
        mf.plot_loss([1.0, 0.5])
    assert issubclass(mf.OptionalDependencyError, ImportError)


def test_without_tqdm_training_works_and_progress_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)
    X, Y = mf.make_xor(8, noise=0.0)
    model = mf.Sequential(mf.Dense(2, 2, rng=0), mf.Sigmoid(), mf.Dense(2, 1, rng=1), mf.Sigmoid())
    assert mf.train(model, mf.BinaryCrossEntropy(), X, Y, max_epochs=2, tol=None).epochs == 2
    with pytest.raises(mf.OptionalDependencyError, match=r"minifw\[progress\]"):
        mf.train(model, mf.BinaryCrossEntropy(), X, Y, max_epochs=2, tol=None, progress=True)


def test_a_model_that_standardizes_is_drawn_in_the_datas_units(tmp_path: Path) -> None:
    """What minifw train --standardize --plot draws: the boundary over the raw features, the network from x'."""
    X, Y = mf.make_circles(100, seed=0)
    X = 100.0 * X
    scaler = mf.Standardizer().fit(X)
    network = mf.Sequential(mf.Dense(2, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid())
    history = mf.train(network, mf.BinaryCrossEntropy(), scaler.transform(X), Y, max_epochs=300, tol=None)
    model = mf.Sequential(scaler, *network.layers)
    figure = mf.plot_training(model, history, X, Y, path=tmp_path / "standardized.png")
    assert_png_is_a_picture(tmp_path / "standardized.png")
    boundary, network_axes = figure.axes[1], figure.axes[2]
    assert boundary.get_xlim()[1] > 100  # the data's units, not standardized ones
    labels = [text.get_text() for text in network_axes.texts]
    assert "$x'_1$" in labels
    assert any(label.startswith("input x'") for label in labels)
    plain = mf.plot_network(network)
    assert "$x_1$" in [text.get_text() for text in plain.axes[0].texts]


def test_bad_feature_names_are_refused_before_anything_is_drawn(
    trained: tuple[mf.Sequential, mf.History, np.ndarray, np.ndarray],
) -> None:
    """The names were checked after the regions and the points were drawn into the caller's axes."""
    from matplotlib.figure import Figure

    model, _, X, Y = trained
    ax = Figure().add_subplot()
    with pytest.raises(mf.ShapeError, match="feature_names must name the 2 features of X"):
        mf.plot_decision_boundary(model, X, Y, ax=ax, feature_names=["only one"])
    assert (len(ax.collections), len(ax.lines), len(ax.patches)) == (0, 0, 0)
