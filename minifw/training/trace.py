"""trace: one gradient descent step of the slides' network, every value labelled with its slide equation."""

import itertools
import re
from typing import Literal

import numpy as np
from attrs import Factory, define, field

from ..array import Array
from ..errors import ArchitectureError, NotALossError
from ..io.architecture import flatten
from ..layers.dense import Dense
from ..layers.layer import Layer
from ..layers.sigmoid import Sigmoid
from ..losses.binary_cross_entropy import BinaryCrossEntropy
from ..optim.gradient_descent import check_learning_rate
from .checks import check_data

Stage = Literal["given", "forward", "backward", "update"]

_STAGE_TITLES: dict[Stage, tuple[str, str]] = {
    "given": ("Given: the example(s) and the current parameters θ^(t)", "Given"),
    "forward": ("Forward propagation", "Forward propagation"),
    "backward": ("Backpropagation", "Backpropagation"),
    "update": ("Update: θ^(t+1) = θ^(t) - α ∂J/∂θ(θ^(t))", "Update"),
}
"""Each stage's title, and its heading without symbols for Markdown with math (a table of contents shows it as
text)."""


_EQUATIONS: list[tuple[Stage, str, str | tuple[str, str]]] = [
    ("given", "x", ("x", "X = (x_1, ..., x_m)")),
    ("given", "y", ("y", "y = (y_1, ..., y_m)")),
    ("given", "W^[1]", "W^[1]"),
    ("given", "b^[1]", "b^[1]"),
    ("given", "W^[2]", "W^[2]"),
    ("given", "b^[2]", "b^[2]"),
    ("forward", "z^[1]", "z^[1] = b^[1] + W^[1] x"),
    ("forward", "a^[1]", "a^[1] = σ(z^[1])"),
    ("forward", "z^[2]", "z^[2] = b^[2] + W^[2] a^[1]"),
    ("forward", "a^[2]", "a^[2] = σ(z^[2])"),
    ("forward", "J", "J = {avg}-{{y{i} log a^[2]{i} + (1 - y{i}) log(1 - a^[2]{i})}}"),
    ("backward", "dJ/db^[2]", ("∂J/∂b^[2] = a^[2] - y", "∂J/∂b^[2] = (1/m) Σ_i (a^[2]_i - y_i)")),
    ("backward", "dJ/dW^[2]", "∂J/∂W^[2] = {avg}(a^[2]{i} - y{i})(a^[1]{i})^T"),
    ("backward", "D", ("D = diag(a^[1]_j (1 - a^[1]_j))", "D_i = diag(a^[1]_i ⊙ (1 - a^[1]_i)), column i")),
    ("backward", "dJ/db^[1]", "∂J/∂b^[1] = {avg}(a^[2]{i} - y{i}) D{i} (W^[2])^T"),
    ("backward", "dJ/dW^[1]", "∂J/∂W^[1] = {avg}(a^[2]{i} - y{i}) D{i} (W^[2])^T x{i}^T"),
]
"""Each value the trace records before the update: its stage, its symbol and its slide equation, for one example
and for a batch of m (a template: ``{avg}`` is ``(1/m) Σ_i`` and ``{i}`` the index ``_i`` for a batch, both empty for
one example; or the two equations)."""


def _equation(equation: str | tuple[str, str], one: bool) -> str:
    """A row's equation of :data:`_EQUATIONS` for one example (``one``) or a batch."""
    if isinstance(equation, tuple):
        return equation[0] if one else equation[1]
    return equation.format(avg="" if one else "(1/m) Σ_i ", i="" if one else "_i")


_LATEX_SYMBOLS = str.maketrans(
    {"{": r"\{", "}": r"\}", "σ": r"\sigma", "α": r"\alpha", "⊙": r"\odot", "←": r"\leftarrow"}
)
_LATEX_WORDS = {
    "(1/m) Σ_i": r"\frac{1}{m} \sum_i",
    "...": r"\dots",
    "log": r"\log",
    "diag": r"\operatorname{diag}",
    ", column i": r",\ \text{column } i",
}
"""How the plain-text equations write a symbol or a word, and how LaTeX does."""


def _latex(equation: str) -> str:
    r"""A plain-text equation of :data:`_EQUATIONS` in LaTeX: ``z^[1] = b^[1] + W^[1] x`` becomes
    ``\mathbf{z}^{[1]} = \mathbf{b}^{[1]} + \mathbf{W}^{[1]} \mathbf{x}`` (vectors and matrices bold: x, D, the W and
    the first layer's b, z, a; an entry a^[1]_j and the output's b^[2], z^[2], a^[2] are numbers)."""
    equation = equation.translate(_LATEX_SYMBOLS)
    for plain, latex in _LATEX_WORDS.items():
        equation = equation.replace(plain, latex)
    equation = re.sub(r"∂J/∂(\w\^\[\d\])", r"\\frac{\\partial J}{\\partial \1}", equation)

    def layered(match: re.Match[str]) -> str:
        letter, layer, index = match.groups()
        bold = letter == "W" or (layer == "1" and index != "_j")
        name = f"\\mathbf{{{letter}}}" if bold else letter
        return f"{name}^{{[{layer}]}}{index or ''}"

    equation = re.sub(r"\b([A-Za-z])\^\[(\d)\](_[ij])?", layered, equation)
    equation = re.sub(r"(?<![A-Za-z\\{])([xXD])(?![A-Za-z])", r"\\mathbf{\1}", equation)
    return re.sub(r"(?<![A-Za-z\\{])J(?![A-Za-z])", r"\\mathcal{J}", equation)


@define(frozen=True, eq=False)
class TraceStep:
    """One recorded value: its symbol, the slide equation it comes from, and the value.

    Attributes:
        stage: ``"given"``, ``"forward"``, ``"backward"`` or ``"update"``.
        symbol: the slides' name, e.g. ``"z^[1]"`` or ``"dJ/dW^[2]"``.
        equation: the slide equation, e.g. ``"z^[1] = b^[1] + W^[1] x"``.
        value: the value, as a 2-D array (J is (1, 1)).
        latex: the same equation in LaTeX (for Markdown pages that render math); by default from ``equation``.
    """

    stage: Stage
    symbol: str
    equation: str
    value: Array = field(repr=False)
    latex: str = field(default=Factory(lambda step: _latex(step.equation), takes_self=True), repr=False, kw_only=True)


def _format(value: Array, precision: int) -> str:
    return np.array2string(np.asarray(value, dtype=np.float64), precision=precision, suppress_small=False)


@define(frozen=True, eq=False)
class Trace:
    """The record of one step, in order: given values, forward, backward, update.

    ``trace["a^[1]"]`` returns a value by its symbol; ``str(trace)`` or :meth:`to_text`
    gives plain text, :meth:`to_markdown` a Markdown page (the docs' walkthrough is
    generated from it).

    Attributes:
        steps: the :class:`TraceStep` objects, in the order they were computed.
        m: the number of examples traced.
        learning_rate: α used for the update.
    """

    steps: list[TraceStep] = field(repr=False)
    m: int
    learning_rate: float

    def __getitem__(self, symbol: str) -> Array:
        if symbol not in self.symbols:
            raise KeyError(f"no step {symbol!r} in this trace; the symbols are {self.symbols}.")
        return self.steps[self.symbols.index(symbol)].value

    @property
    def symbols(self) -> list[str]:
        """The symbols of the steps, in order."""
        return [step.symbol for step in self.steps]

    def _title(self) -> str:
        examples = "one example" if self.m == 1 else f"a batch of m = {self.m} examples"
        return f"One gradient descent step on {examples}, α = {self.learning_rate:g}"

    def to_text(self, precision: int = 4) -> str:
        """Plain text: a block per stage, each value under its equation and shape."""
        lines = [self._title()]
        for stage, steps in itertools.groupby(self.steps, key=lambda step: step.stage):
            lines += ["", _STAGE_TITLES[stage][0]]
            for step in steps:
                shape = "×".join(str(n) for n in step.value.shape)
                lines.append(f"  {step.equation}    ({shape})")
                lines += ["      " + line for line in _format(step.value, precision).splitlines()]
        return "\n".join(lines)

    def to_markdown(self, precision: int = 4, *, math: bool = False) -> str:
        """Markdown: a section per stage, each equation followed by its value in a code block.

        With ``math=True`` the equations are LaTeX between ``\\(`` and ``\\)``, for pages
        that render math (MathJax, KaTeX); otherwise they are plain text in backticks.
        """
        lines = [f"**{self._title()}**"]
        for stage, steps in itertools.groupby(self.steps, key=lambda step: step.stage):
            lines += ["", f"#### {_STAGE_TITLES[stage][1 if math else 0]}"]
            for step in steps:
                shape = " × ".join(str(n) for n in step.value.shape)
                equation = f"\\({step.latex}\\)" if math and step.latex else f"`{step.equation}`"
                lines += ["", f"{equation} ({shape})", "", "```text", _format(step.value, precision), "```"]
        return "\n".join(lines) + "\n"

    def __str__(self) -> str:
        return self.to_text()


def _slides_layers(model: Layer) -> list[Layer]:
    layers = flatten(model)
    kinds = (Dense, Sigmoid, Dense, Sigmoid)
    if len(layers) == 4 and all(map(isinstance, layers, kinds)) and model.parameters()[2].value.shape[0] == 1:
        return layers
    raise ArchitectureError(
        f"trace follows the slides' network with one hidden layer and one output, "
        f"Sequential(Dense(d0, d1), Sigmoid(), Dense(d1, 1), Sigmoid()); got {model!r}. "
        "Fix: trace such a model, or use mf.check_gradients for other architectures."
    )


def trace(model: Layer, loss: BinaryCrossEntropy, X: Array, Y: Array, *, learning_rate: float = 1.2) -> Trace:
    """Record one step of gradient descent, value by value, as on the slides.

    For the network ``Sequential(Dense(d0, d1), Sigmoid(), Dense(d1, 1), Sigmoid())`` and
    the loss ``BinaryCrossEntropy()``, runs the model's own forward and backward on (X, Y)
    and records, each with its slide equation:

    - given: x, y, W^[1], b^[1], W^[2], b^[2];
    - forward: z^[1] = b^[1] + W^[1] x, a^[1] = σ(z^[1]), z^[2] = b^[2] + W^[2] a^[1],
      a^[2] = σ(z^[2]), J = -{y log a^[2] + (1 - y) log(1 - a^[2])};
    - backward: ∂J/∂b^[2] = a^[2] - y, ∂J/∂W^[2] = (a^[2] - y)(a^[1])^T,
      D = diag(a^[1]_j (1 - a^[1]_j)), ∂J/∂b^[1] = (a^[2] - y) D (W^[2])^T,
      ∂J/∂W^[1] = (a^[2] - y) D (W^[2])^T x^T;
    - update: θ - α ∂J/∂θ for W^[1], b^[1], W^[2], b^[2].

    For a batch (m > 1) the equations are the averages over the m columns, and D is
    shown as a (d1, m) array whose column i is the diagonal of D for example i.

    The model's parameters are not changed: the update θ - α ∂J/∂θ is computed into new
    arrays, as :class:`GradientDescent` computes it in place. (The layers' caches and each
    ``grad`` do hold this step's values afterwards.)

    Args:
        model: the slides' network.
        loss: a ``BinaryCrossEntropy``.
        X: one example (d0, 1) or a small batch (d0, m).
        Y: the label(s), shape (1, m).
        learning_rate: α for the update.

    Examples:
        >>> import numpy as np
        >>> import minifw as mf
        >>> model = mf.Sequential(mf.Dense(3, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid())
        >>> t = mf.trace(model, mf.BinaryCrossEntropy(), np.array([[1.0], [2.0], [3.0]]), np.array([[1.0]]))
        >>> t.symbols[6:11]
        ['z^[1]', 'a^[1]', 'z^[2]', 'a^[2]', 'J']
        >>> print(t.to_text().splitlines()[0])
        One gradient descent step on one example, α = 1.2
    """
    layers = _slides_layers(model)
    if not isinstance(loss, BinaryCrossEntropy):
        raise NotALossError(f"trace follows the slides' cost, BinaryCrossEntropy(); got {type(loss).__name__}.")
    parameters = model.parameters()  # W^[1], b^[1], W^[2], b^[2]
    rate = check_learning_rate(learning_rate)  # before anything runs
    x, y = check_data(model, X, Y, "first", outputs=1)
    one = x.shape[1] == 1  # one example: the slides' equations, else their averages over the m columns
    W1, b1, W2, b2 = (p.value.copy() for p in parameters)
    outputs = [x]  # x, z^[1], a^[1], z^[2], a^[2], by the model's own layers
    for layer in layers:
        outputs.append(layer.forward(outputs[-1]))
    J = loss.forward(outputs[-1], y)
    model.backward(loss.backward())
    z1, a1, z2, a2 = (np.array(output) for output in outputs[1:])
    values = {
        **{"x": x.copy(), "y": y.copy(), "W^[1]": W1, "b^[1]": b1, "W^[2]": W2, "b^[2]": b2},
        **{"z^[1]": z1, "a^[1]": a1, "z^[2]": z2, "a^[2]": a2, "J": np.array([[J]], dtype=x.dtype)},
        **{"dJ/db^[2]": parameters[3].grad.copy(), "dJ/dW^[2]": parameters[2].grad.copy()},
        "D": np.diag(a1[:, 0] * (1.0 - a1[:, 0])) if one else a1 * (1.0 - a1),
        **{"dJ/db^[1]": parameters[1].grad.copy(), "dJ/dW^[1]": parameters[0].grad.copy()},
    }
    steps = [
        TraceStep(stage, symbol, _equation(equation, one), values[symbol]) for stage, symbol, equation in _EQUATIONS
    ]
    for p, symbol in zip(parameters, ("W^[1]", "b^[1]", "W^[2]", "b^[2]"), strict=True):
        equation = f"{symbol} ← {symbol} - α ∂J/∂{symbol}"
        steps.append(TraceStep("update", f"new {symbol}", equation, p.value - rate * p.grad))  # new arrays
    return Trace(steps, x.shape[1], rate)
