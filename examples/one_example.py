"""The slides' network (3 inputs, 4 hidden neurons, 1 output) on ONE training example (x, y).

Run:  python examples/one_example.py

Forward propagation computes z^[1], a^[1], z^[2], a^[2] and J with minifw's layers; backpropagation
gives every gradient. Beside each minifw value the script prints the slide formula and that formula
evaluated directly with NumPy (with the explicit D matrix), and checks that the two agree. minifw
never builds D: its Sigmoid.backward multiplies by the diagonal a^[1] ⊙ (1 - a^[1]) directly, so
the script reads D off it, one column per unit vector.
"""

import textwrap

import numpy as np

import minifw as mf

np.set_printoptions(precision=6, suppress=True)


def show(name: str, formula: str, value: object, by_formula: object) -> None:
    """Print a value beside its slide formula and check that the formula gives the same numbers."""
    value_array, formula_array = np.asarray(value), np.asarray(by_formula)
    agree = np.allclose(value_array, formula_array, rtol=1e-12, atol=0.0)
    rows = textwrap.indent(np.array2string(value_array), "    ")
    print(f"{name} = {formula}  [{'matches the slide formula' if agree else 'MISMATCH'}]\n{rows}")
    if not agree:
        raise SystemExit(f"{name}: minifw and the slide formula disagree")


def main() -> None:
    x = np.array([[1.0], [-2.0], [0.5]])  # one example: d^[0] = 3 features, shape (3, 1)
    y = np.array([[1.0]])  # its label, shape (1, 1)
    model = mf.Sequential(mf.Dense(3, 4, rng=0), mf.Sigmoid(), mf.Dense(4, 1, rng=1), mf.Sigmoid())
    dense1, sigmoid1, dense2, sigmoid2 = model
    if not (isinstance(dense1, mf.Dense) and isinstance(dense2, mf.Dense)):
        raise TypeError("layers 0 and 2 of the slides' network are Dense")
    loss = mf.BinaryCrossEntropy()
    W1, b1, W2, b2 = (p.value.copy() for p in model.parameters())  # θ^(0), from Step 1

    def sigma(z: mf.Array) -> mf.Array:
        a: mf.Array = 1.0 / (1.0 + np.exp(-z))
        return a

    print(f"The network: {model}")
    print("\nForward propagation")
    z1 = dense1.forward(x)
    show("z^[1]", "b^[1] + W^[1] x", z1, b1 + W1 @ x)
    a1 = sigmoid1.forward(z1)
    show("a^[1]", "σ(z^[1])", a1, sigma(b1 + W1 @ x))
    z2 = dense2.forward(a1)
    A1 = sigma(b1 + W1 @ x)
    show("z^[2]", "b^[2] + W^[2] a^[1]", z2, b2 + W2 @ A1)
    a2 = sigmoid2.forward(z2)
    A2 = sigma(b2 + W2 @ A1)
    show("a^[2]", "σ(z^[2])", a2, A2)
    J = loss.forward(a2, y)
    show("J", "-{y log a^[2] + (1 - y) log(1 - a^[2])}", J, -(y * np.log(A2) + (1 - y) * np.log(1 - A2)))

    print("\nBackpropagation")
    model.backward(loss.backward())
    # D is what Sigmoid.backward multiplies ∂J/∂a^[1] by: its column j is minifw's backward of the
    # unit vector e_j, at the a^[1] of the forward pass.
    columns = []
    for e_j in np.eye(4)[:, :, None]:
        sigmoid1.forward(z1)  # backward releases the cache, so each column needs its forward
        columns.append(sigmoid1.backward(e_j))
    D_minifw = np.hstack(columns)
    D = np.diag((A1 * (1 - A1))[:, 0])
    show("D", "diag(a^[1] ⊙ (1 - a^[1]))", D_minifw, D)
    show("∂J/∂b^[2]", "a^[2] - y", dense2.b.grad, A2 - y)
    show("∂J/∂W^[2]", "(a^[2] - y)(a^[1])^T", dense2.W.grad, (A2 - y) @ A1.T)
    show("∂J/∂b^[1]", "(a^[2] - y) D (W^[2])^T", dense1.b.grad, (A2 - y) * D @ W2.T)
    show("∂J/∂W^[1]", "(a^[2] - y) D (W^[2])^T x^T", dense1.W.grad, (A2 - y) * D @ W2.T @ x.T)

    print("\nOne gradient-descent step, α = 0.5:  θ^(1) = θ^(0) - α ∂J/∂θ(θ^(0))")
    mf.GradientDescent(model.parameters(), learning_rate=0.5).step()
    J_after = loss.forward(model.forward(x), y)
    print(f"J before the step = {J:.6f}, after = {J_after:.6f}")

    print("\nUntil convergence (Steps 2-4, 200 steps):")
    opt = mf.GradientDescent(model.parameters(), learning_rate=0.5)
    for t in range(1, 201):
        J = loss.forward(model.forward(x), y)
        model.backward(loss.backward())
        opt.step()
        if t in (1, 10, 50, 100, 200):
            print(f"  step {t:3d}: J = {J:.6f}")
    print(f"a^[2] = {float(model.forward(x)[0, 0]):.6f} for y = {float(y[0, 0]):.0f}")


if __name__ == "__main__":
    main()
