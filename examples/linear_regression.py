"""Fit y = 3x - 2 (plus noise) with nothing but jaring's autodiff engine and a hand-written
gradient-descent step. Prints the loss falling; the smallest complete use of the engine."""

import numpy as np

import jaring


def main(steps: int = 200, lr: float = 0.1, seed: int = 0) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=(256, 1)).astype(np.float32)
    y = 3 * x - 2 + 0.1 * rng.standard_normal((256, 1)).astype(np.float32)
    X, Y = jaring.tensor(x), jaring.tensor(y)
    w = jaring.zeros(1, 1, requires_grad=True)
    b = jaring.zeros(1, requires_grad=True)
    for step in range(steps + 1):
        loss = ((X @ w + b - Y) ** 2).mean()
        w.zero_grad()
        b.zero_grad()
        loss.backward()
        with jaring.no_grad():  # the update itself must not be recorded
            w.data -= lr * w.grad.data
            b.data -= lr * b.grad.data
        if step % 20 == 0:
            print(f"step {step:4d}  loss {loss.item():.5f}")
    print(f"learned w = {w.item():.3f} (true 3), b = {b.item():.3f} (true -2)")
    return w.item(), b.item()


if __name__ == "__main__":
    main()
