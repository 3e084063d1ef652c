"""Pictures: the loss curve, a decision boundary, and the network drawn as on the slides.

Needs matplotlib (``pip install "minifw[plot]"``). Figures are made with
``matplotlib.figure.Figure`` directly, never through ``pyplot``, so nothing opens a window,
no global state changes, and it works headless (the Agg renderer writes the PNG).
"""

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .array import Array
from .data.standardizer import Standardizer
from .errors import ArchitectureError, OptionalDependencyError, ShapeError
from .io.architecture import flatten
from .layers.dense import Dense
from .layers.layer import Layer
from .training.metrics import predict_proba
from .training.train import History
from .validation import check_batch

if TYPE_CHECKING:  # annotations only: matplotlib is imported when a picture is drawn
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

Path = str | os.PathLike[str]

_CLASS_COLOURS = ("#d95f02", "#1b9e77")
"""Label 0 and label 1 (colour-blind safe)."""


def _figure_module() -> Any:
    try:
        from matplotlib import figure
    except ImportError:
        message = 'minifw\'s pictures need matplotlib, which is not installed. Fix: pip install "minifw[plot]".'
        raise OptionalDependencyError(message) from None
    return figure


def _axes(ax: "Axes | None", size: tuple[float, float]) -> "Axes":
    if ax is not None:
        return ax
    figure: Figure = _figure_module().Figure(figsize=size, layout="constrained")
    return figure.add_subplot()


def _finish(ax: "Axes", path: Path | None) -> "Figure":
    figure = ax.get_figure()
    if figure is None:  # pragma: no cover - an Axes always belongs to a figure here
        raise RuntimeError("the axes belong to no figure")
    root = figure.get_figure(root=True)
    if path is not None:
        root.savefig(os.fspath(path), dpi=120)
    return root


def plot_loss(history: History | Sequence[float], *, ax: "Axes | None" = None, path: Path | None = None) -> "Figure":
    """The learning curve: J against the epoch (log scale when J spans more than a factor of 20).

    Args:
        history: what :func:`minifw.train` returned, or a list of J values.
        ax: draw into these matplotlib axes; default: a new figure.
        path: also save the figure there (PNG, SVG, PDF... from the suffix).

    Returns:
        The matplotlib ``Figure``.
    """
    J = np.asarray(history.J if isinstance(history, History) else list(history), dtype=np.float64)
    if J.ndim != 1 or J.size == 0:
        message = f"plot_loss needs at least one J value, got {J.size}. Fix: pass the History from mf.train."
        raise ShapeError(message)
    axes = _axes(ax, (5.0, 3.6))
    epochs = np.arange(1, J.size + 1)
    axes.plot(epochs, J, color="#1f4e79", linewidth=2)
    if J.min() > 0 and J.max() / J.min() > 20:
        axes.set_yscale("log")
    axes.set_xlabel("epoch t")
    axes.set_ylabel(r"$J(\theta^{(t)})$")
    title = f"J: {J[0]:.4g} → {J[-1]:.4g} in {J.size} epochs"
    if isinstance(history, History):
        title += f" (α = {history.learning_rate:g})"
    axes.set_title(title)
    axes.grid(alpha=0.3)
    return _finish(axes, path)


def plot_decision_boundary(
    model: Layer,
    X: Array,
    Y: Array,
    *,
    threshold: float = 0.5,
    resolution: int = 200,
    ax: "Axes | None" = None,
    path: Path | None = None,
    feature_names: Sequence[str] | None = None,
) -> "Figure":
    """The regions where a^[L] >= threshold (label 1) and below it, with the data points on top.

    Args:
        model: a trained model with 2 input features.
        X: the points, shape (2, m).
        Y: their labels, shape (1, m), colouring the points.
        threshold: the probability where the boundary is drawn.
        resolution: grid points per axis for the shading.
        ax: draw into these axes; default: a new figure.
        path: also save the figure there.
        feature_names: the two features' names for the axes (a CSV file's column names);
            default: x_1 and x_2.

    Returns:
        The matplotlib ``Figure``.
    """
    points = check_batch(X, "X", 2, np.float64)
    labels = check_batch(Y, "Y", 1, np.float64)
    if labels.shape[1] != points.shape[1]:
        message = f"Y must have shape (1, {points.shape[1]}) to match X {points.shape}; got {labels.shape}."
        raise ShapeError(message)
    if feature_names is not None and len(feature_names) != 2:
        message = f"feature_names must name the 2 features of X, got {list(feature_names)!r}. Fix: pass two names."
        raise ShapeError(message)
    axes = _axes(ax, (5.0, 4.4))
    low, high = points.min(axis=1), points.max(axis=1)
    pad = 0.1 * np.maximum(high - low, 1e-9)
    u = np.linspace(low[0] - pad[0], high[0] + pad[0], resolution)
    v = np.linspace(low[1] - pad[1], high[1] + pad[1], resolution)
    U, V = np.meshgrid(u, v)
    grid = np.vstack([U.ravel(), V.ravel()])
    P = predict_proba(model, grid).reshape(U.shape)
    from matplotlib.colors import ListedColormap

    axes.contourf(U, V, P, levels=[0.0, threshold, 1.0], cmap=ListedColormap(["#fbe3cf", "#d3efe7"]))
    axes.contour(U, V, P, levels=[threshold], colors="#333333", linewidths=1.5)
    for label, colour in enumerate(_CLASS_COLOURS):
        chosen = labels[0] == label
        axes.scatter(
            points[0, chosen],
            points[1, chosen],
            s=16,
            c=colour,
            edgecolors="black",
            linewidths=0.4,
            label=f"y = {label}",
        )
    names = ["$x_1$", "$x_2$"] if feature_names is None else [str(name) for name in feature_names]
    axes.set_xlabel(names[0])
    axes.set_ylabel(names[1])
    axes.set_title(f"decision boundary $a^{{[L]}} = {threshold:g}$")
    axes.legend(loc="upper right", fontsize=8, framealpha=0.8)
    return _finish(axes, path)


def _dense_layers(model: Layer) -> list[Dense]:
    layers = flatten(model)
    dense = [layer for layer in layers if isinstance(layer, Dense)]
    if not dense or any(not isinstance(layer, Dense) and not layer.elementwise for layer in layers):
        message = (
            f"plot_network draws Dense layers with elementwise activations between them; got {model!r}. "
            "Fix: pass e.g. Sequential(Dense(3, 4), Sigmoid(), Dense(4, 1), Sigmoid())."
        )
        raise ArchitectureError(message)
    return dense


def plot_network(model: Layer, *, ax: "Axes | None" = None, path: Path | None = None) -> "Figure":
    """The network as on the slides: a circle per neuron, an edge per weight.

    Edge width grows with |w| and its colour gives the sign (blue positive, red
    negative); each neuron of layer l >= 1 shows its bias b_j^[l]. Layer 0 is x, or x'
    when the model leads with a ``Standardizer`` (the first Dense sees standardized features).

    Args:
        model: a ``Sequential`` of ``Dense`` layers and elementwise activations (or one ``Dense``).
        ax: draw into these axes; default: a new figure.
        path: also save the figure there.

    Returns:
        The matplotlib ``Figure``.
    """
    dense = _dense_layers(model)
    inputs = "x'" if isinstance(flatten(model)[0], Standardizer) else "x"
    widths = [dense[0].in_features] + [layer.out_features for layer in dense]
    axes = _axes(ax, (2.2 + 1.9 * len(widths), 1.6 + 0.75 * max(widths)))
    from matplotlib.colors import TwoSlopeNorm
    from matplotlib.patches import Circle

    tallest = max(widths)

    def position(layer: int, j: int) -> tuple[float, float]:
        return 2.0 * layer, (widths[layer] - 1) / 2.0 - j

    largest = max(float(np.abs(layer.W.value).max()) for layer in dense) or 1.0
    colours = _colour_map()
    norm = TwoSlopeNorm(vmin=-largest, vcenter=0.0, vmax=largest)
    for layer_index, layer in enumerate(dense, start=1):
        W = layer.W.value
        for j in range(W.shape[0]):
            for k in range(W.shape[1]):
                (x0, y0), (x1, y1) = position(layer_index - 1, k), position(layer_index, j)
                w = float(W[j, k])
                axes.plot([x0, x1], [y0, y1], color=colours(norm(w)), linewidth=0.4 + 4.0 * abs(w) / largest, zorder=1)
    radius = 0.32
    for index, width in enumerate(widths):
        for j in range(width):
            x, y = position(index, j)
            face = "#f2f2f2" if index == 0 else "#ffffff"
            axes.add_patch(Circle((x, y), radius, facecolor=face, edgecolor="#222222", linewidth=1.4, zorder=2))
            if index == 0:
                label = f"${inputs}_{j + 1}$"
            else:
                label = f"$a^{{[{index}]}}_{j + 1}$" if width > 1 else f"$a^{{[{index}]}}$"
            axes.text(x, y, label, ha="center", va="center", fontsize=10, zorder=3)
            if index > 0:
                b = float(dense[index - 1].b.value[j, 0])
                axes.text(x, y - radius - 0.12, f"b={b:.2f}", ha="center", va="top", fontsize=7, color="#444444")
    for index, width in enumerate(widths):
        name = f"input {inputs}" if index == 0 else ("output" if index == len(widths) - 1 else "hidden")
        text = f"{name}\n$d^{{[{index}]}} = {width}$"
        axes.text(2.0 * index, (width - 1) / 2.0 + 0.75, text, ha="center", va="bottom", fontsize=8)
    axes.set_xlim(-0.8, 2.0 * (len(widths) - 1) + 0.8)
    half = (tallest - 1) / 2.0
    axes.set_ylim(-half - 0.9, half + 1.5)
    axes.set_aspect("equal")
    axes.axis("off")
    axes.set_title("edges: width |w|, blue w > 0, red w < 0", fontsize=9)
    return _finish(axes, path)


def _colour_map() -> Any:
    from matplotlib import colormaps

    return colormaps["coolwarm_r"]


def plot_training(
    model: Layer,
    history: History,
    X: Array,
    Y: Array,
    *,
    path: Path | None = None,
    feature_names: Sequence[str] | None = None,
) -> "Figure":
    """Loss curve, decision boundary (when X has 2 features) and network, side by side in one figure.

    ``feature_names`` labels the decision boundary's axes (default: x_1 and x_2).
    """
    two_d = isinstance(X, np.ndarray) and X.ndim == 2 and X.shape[0] == 2
    panels = 3 if two_d else 2
    figure: Figure = _figure_module().Figure(figsize=(5.0 * panels, 4.4), layout="constrained")
    axes = figure.subplots(1, panels)
    plot_loss(history, ax=axes[0])
    if two_d:
        plot_decision_boundary(model, X, Y, ax=axes[1], feature_names=feature_names)
    plot_network(model, ax=axes[-1])
    if path is not None:
        figure.savefig(os.fspath(path), dpi=120)
    return figure
