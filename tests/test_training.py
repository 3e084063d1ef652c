"""The manual loop of the docs learns: XOR to 100%, and a non-linear data set far beyond logistic regression."""

import numpy as np

import minifw as mf


def train(model: mf.Sequential, X: np.ndarray, Y: np.ndarray, rate: float, epochs: int) -> list[float]:
    """The manual training loop, exactly as in the docs; returns J per epoch."""
    loss = mf.BinaryCrossEntropy()
    opt = mf.GradientDescent(model.parameters(), learning_rate=rate)
    history = []
    for _ in range(epochs):
        J = loss.forward(model.forward(X), Y)
        model.backward(loss.backward())
        opt.step()
        history.append(J)
    return history


def accuracy(model: mf.Sequential, X: np.ndarray, Y: np.ndarray) -> float:
    return float(np.mean((model.forward(X) > 0.5) == (Y > 0.5)))


def test_xor_is_learned_to_full_accuracy() -> None:
    X = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 1.0]])
    Y = np.array([[0.0, 1.0, 1.0, 0.0]])
    model = mf.Sequential(mf.Dense(2, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid())
    history = train(model, X, Y, rate=2.0, epochs=3000)
    assert accuracy(model, X, Y) == 1.0
    assert history[-1] < 0.1 * history[0]


def test_hidden_layer_beats_logistic_regression_on_the_flower() -> None:
    X, Y = mf.make_flower(400, seed=1)
    logistic = mf.Sequential(mf.Dense(2, 1, rng=0), mf.Sigmoid())
    train(logistic, X, Y, rate=1.2, epochs=2000)
    network = mf.Sequential(mf.Dense(2, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid())
    history = train(network, X, Y, rate=1.2, epochs=5000)
    logistic_accuracy, network_accuracy = accuracy(logistic, X, Y), accuracy(network, X, Y)
    assert logistic_accuracy < 0.65  # a straight line cannot separate the petals
    assert network_accuracy > 0.85
    assert network_accuracy > logistic_accuracy + 0.25
    assert history[-1] < history[0]
    assert all(later <= earlier + 1e-12 for earlier, later in zip(history[100::100], history[200::100], strict=False))
