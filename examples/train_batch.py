"""Train the one-hidden-layer network on a batch: the planar "flower" data set, m = 400 columns.

Run:  python examples/train_batch.py

The batch X has shape (2, m), one column per example; Y has shape (1, m). The manual loop is the
slides' batch gradient descent: J and every gradient are averages over the m columns.
"""

import numpy as np

import minifw as mf


def flower(m: int = 400, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Two classes arranged in petals: X (2, m), Y (1, m); no straight line separates them."""
    rng = np.random.default_rng(seed)
    n = m // 2
    X, Y = np.zeros((2, m)), np.zeros((1, m))
    for j in range(2):
        t = np.linspace(j * 3.12, (j + 1) * 3.12, n) + rng.normal(size=n) * 0.2
        r = 4 * np.sin(4 * t) + rng.normal(size=n) * 0.2
        X[:, j * n : (j + 1) * n] = np.vstack([r * np.sin(t), r * np.cos(t)])
        Y[0, j * n : (j + 1) * n] = j
    return X, Y


def main() -> None:
    X, Y = flower()
    print(f"X: {X.shape} (d0, m), Y: {Y.shape} (1, m)")
    for name, model in [
        ("logistic regression", mf.Sequential(mf.Dense(2, 1, rng=0), mf.Sigmoid())),
        (
            "one hidden layer (4)",
            mf.Sequential(mf.Dense(2, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid()),
        ),
    ]:
        loss = mf.BinaryCrossEntropy()
        opt = mf.GradientDescent(model.parameters(), learning_rate=1.2)
        for t in range(5000):
            J = loss.forward(model.forward(X), Y)
            model.backward(loss.backward())
            opt.step()
            if t % 1000 == 0:
                print(f"  {name}: epoch {t:4d}  J = {J:.4f}")
        accuracy = float(np.mean((model.forward(X) > 0.5) == (Y > 0.5)))
        print(f"{name}: {model}, final J = {J:.4f}, accuracy = {accuracy:.1%}")


if __name__ == "__main__":
    main()
