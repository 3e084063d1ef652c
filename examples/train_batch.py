"""Train the one-hidden-layer network on a batch: the planar "flower" data set, m = 400 columns.

Run:  python examples/train_batch.py

The batch X has shape (2, m), one column per example; Y has shape (1, m). The manual loop is the
slides' batch gradient descent: J and every gradient are averages over the m columns.
"""

import numpy as np

import minifw as mf


def main() -> None:
    X, Y = mf.make_flower(400, seed=1)
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
