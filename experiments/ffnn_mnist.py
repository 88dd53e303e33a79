"""MNIST feed-forward experiment: jaring and PyTorch from the same initial weights and batch order.

    JARING_DATA=/path/to/datasets python experiments/ffnn_mnist.py [--only a|b] [--epochs-scale 0.1]

(a) 784-256-128-10 ReLU/softmax, categorical cross-entropy, SGD lr 0.01, batch 64, 20 epochs
    (published: 96.47%); (b) 784-500-10 ReLU, cross-entropy, Adam 1e-3, batch 100, 5 epochs
    (published: 97.86%). Prints a Markdown table of test accuracy and training seconds; the two
    frameworks train epoch by epoch in turn, so a change in machine load affects both alike.
Not a test: it needs the real MNIST files and takes minutes.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from jaring.data.datasets import load_mnist
from jaring.models import FFNN
from jaring.optim import get_optimizer


@dataclass
class Setup:
    name: str
    sizes: list
    activations: list
    optimizer: str
    lr: float
    batch: int
    epochs: int
    published: float


SETUPS = {
    "a": Setup("(a) 784-256-128-10, SGD 0.01, batch 64", [784, 256, 128, 10], ["relu", "relu", "softmax"],
               "sgd", 0.01, 64, 20, 96.47),
    "b": Setup("(b) 784-500-10, Adam 1e-3, batch 100", [784, 500, 10], ["relu", "softmax"],
               "adam", 1e-3, 100, 5, 97.86),
}  # fmt: skip


def jaring_trainer(s: Setup, x: np.ndarray, y: np.ndarray, seed: int) -> tuple[FFNN, Callable[[], None]]:
    """The jaring model and a function that trains it for one epoch (batch order from `seed`)."""
    model = FFNN(s.sizes, s.activations, loss="cce", weight_init="he", seed=seed)
    opt = get_optimizer(s.optimizer, model.parameters(), lr=s.lr)
    order = np.random.default_rng(seed)  # one Generator: each epoch draws the next permutation

    def epoch() -> None:
        model.fit(x, y, batch_size=s.batch, epochs=1, optimizer=opt, seed=order)

    return model, epoch


def torch_trainer(s: Setup, x: np.ndarray, y: np.ndarray, seed: int, initial: FFNN) -> tuple[Any, Callable]:
    """The same network in PyTorch, from jaring's initial weights, seeing the same batches."""
    import torch

    layers: list = []
    for i, (n_in, n_out) in enumerate(zip(s.sizes[:-1], s.sizes[1:])):
        linear = torch.nn.Linear(n_in, n_out)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(initial.layers[i].weight.numpy()))
            linear.bias.copy_(torch.from_numpy(initial.layers[i].bias.numpy()))
        layers += [linear, torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])  # logits; CrossEntropyLoss applies log-softmax
    opt_cls = torch.optim.SGD if s.optimizer == "sgd" else torch.optim.Adam
    opt = opt_cls(model.parameters(), lr=s.lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    xs, ys = torch.from_numpy(x), torch.from_numpy(y)
    rng = np.random.default_rng(seed)  # the same permutations jaring's DataLoader draws

    def epoch() -> None:
        order = torch.from_numpy(rng.permutation(len(x)))
        for i in range(0, len(x), s.batch):
            idx = order[i : i + s.batch]
            loss = loss_fn(model(xs[idx]), ys[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()

    return model, epoch


def compare(s: Setup, data: tuple, epochs: int, seed: int) -> dict[str, float]:
    """Train both for `epochs`, alternating epochs so that machine load affects both alike."""
    import torch

    (x, y), (xt, yt) = data
    j_model, j_epoch = jaring_trainer(s, x, y, seed)
    initial = FFNN(s.sizes, s.activations, loss="cce", weight_init="he", seed=seed)
    t_model, t_epoch = torch_trainer(s, x, y, seed, initial)
    seconds = {"jaring": 0.0, "torch": 0.0}
    for _ in range(epochs):
        for name, epoch in (("jaring", j_epoch), ("torch", t_epoch)):
            start = time.perf_counter()
            epoch()
            seconds[name] += time.perf_counter() - start
    with torch.no_grad():
        t_acc = float((t_model(torch.from_numpy(xt)).argmax(1).numpy() == yt).mean()) * 100
    j_acc = float((j_model.predict_classes(xt) == yt).mean()) * 100
    return {
        "jaring_acc": j_acc,
        "torch_acc": t_acc,
        "jaring_s": seconds["jaring"],
        "torch_s": seconds["torch"],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="jaring vs PyTorch FFNN on MNIST")
    parser.add_argument("--only", choices=sorted(SETUPS), help="run one setup")
    parser.add_argument("--epochs-scale", type=float, default=1.0, help="fraction of the epochs (smoke runs)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        data = load_mnist(flatten=True)
    except FileNotFoundError as exc:
        raise SystemExit(f"MNIST is needed for this experiment: {exc}") from None
    rows = []
    for key in [args.only] if args.only else sorted(SETUPS):
        s = SETUPS[key]
        epochs = max(1, round(s.epochs * args.epochs_scale))
        r = compare(s, data, epochs, args.seed)
        cells = [
            f"{s.name}, {epochs} epochs",
            f"{s.published:.2f}",
            f"{r['jaring_acc']:.2f}",
            f"{r['torch_acc']:.2f}",
            f"{r['jaring_acc'] - r['torch_acc']:+.2f}",
            f"{r['jaring_s']:.1f}",
            f"{r['torch_s']:.1f}",
            f"{r['jaring_s'] / r['torch_s']:.2f}",
        ]
        rows.append("| " + " | ".join(cells) + " |")
        print(f"done {key}: {r}", flush=True)
    print("\n| setup | published % | jaring % | PyTorch % | difference | jaring s | PyTorch s | time ratio |")
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
