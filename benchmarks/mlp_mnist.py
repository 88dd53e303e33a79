"""Seconds per MNIST epoch for a 784-500-10 ReLU MLP (cross-entropy, Adam 1e-3, batch 100):
jaring's fit() against a PyTorch eager loop, measured in the same run (epochs interleaved),
median of several epochs.

    python benchmarks/mlp_mnist.py [--epochs 3] [--random]

Uses MNIST from $JARING_DATA (or the other places jaring.data looks) and random data of the
same shape when it is absent. Prints one JSON line per measurement and final ratio lines:
{"benchmark": "mlp_epoch", "jaring_s": ..., "torch_s": ..., "ratio": jaring_s / torch_s} for
wall-clock time and "mlp_epoch_cpu" for CPU time (steadier on a busy, shared machine).
Both frameworks use all cores by default; set OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 to
compare them on one core.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

import numpy as np

import jaring
from jaring import nn
from jaring.optim import Adam
from jaring.training import fit

HIDDEN, CLASSES, BATCH, LR = 500, 10, 100, 1e-3


def mnist_or_random(force_random: bool) -> tuple[np.ndarray, np.ndarray, str]:
    if not force_random:
        try:
            from jaring.data.datasets import load_mnist

            (x, y), _ = load_mnist(flatten=True)
            return x, y, "mnist"
        except (FileNotFoundError, ValueError):
            pass
    rng = np.random.default_rng(0)
    return rng.random((60000, 784), dtype=np.float32), rng.integers(0, CLASSES, 60000), "random"


def timed(run_epoch: Callable[[int], None]) -> Callable[[int], tuple[float, float]]:
    """Wrap an epoch function so that it returns (wall seconds, CPU seconds)."""

    def run(epoch: int) -> tuple[float, float]:
        start, cpu = time.perf_counter(), time.process_time()
        run_epoch(epoch)
        return time.perf_counter() - start, time.process_time() - cpu

    return run


def jaring_epoch(x: np.ndarray, y: np.ndarray) -> Callable[[int], tuple[float, float]]:
    """One epoch of jaring's fit() per call (the model and Adam state carry over)."""
    jaring.manual_seed(0)
    model = nn.Sequential(nn.Linear(784, HIDDEN, seed=0), nn.ReLU(), nn.Linear(HIDDEN, CLASSES, seed=1))
    opt = Adam(model.parameters(), lr=LR)
    return timed(
        lambda epoch: fit(model, x, y, loss="cce", optimizer=opt, batch_size=BATCH, epochs=1, seed=epoch)
    )


def torch_epoch(x: np.ndarray, y: np.ndarray) -> Callable[[int], tuple[float, float]]:
    """One epoch of an eager PyTorch loop per call, gathering shuffled batches the same way."""
    import torch

    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, HIDDEN), torch.nn.ReLU(), torch.nn.Linear(HIDDEN, CLASSES)
    )
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    loss_fn = torch.nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(x), torch.from_numpy(y.astype(np.int64))

    def run(epoch: int) -> None:
        order = torch.randperm(len(xt), generator=torch.Generator().manual_seed(epoch))
        for i in range(0, len(xt), BATCH):
            idx = order[i : i + BATCH]
            loss = loss_fn(model(xt[idx]), yt[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()

    return timed(run)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3, help="epochs timed per framework (median)")
    parser.add_argument("--random", action="store_true", help="use random data even when MNIST is present")
    args = parser.parse_args(argv)
    x, y, source = mnist_or_random(args.random)
    import torch

    print(json.dumps({"data": source, "samples": len(x), "torch_threads": torch.get_num_threads()}))
    runners = {"jaring": jaring_epoch(x, y), "torch": torch_epoch(x, y)}
    measured: dict[str, list] = {"jaring": [], "torch": []}
    for epoch in range(args.epochs):  # interleaved, so a change in machine load hits both alike
        for framework, run in runners.items():
            measured[framework].append(run(epoch))
    jaring_s, torch_s = measured["jaring"], measured["torch"]
    for framework, times in (("jaring", jaring_s), ("torch", torch_s)):
        each = {"wall_s": [round(w, 3) for w, _ in times], "cpu_s": [round(c, 3) for _, c in times]}
        print(json.dumps({"benchmark": "mlp_epoch_each", "framework": framework, **each}))
    for name, pick in (("mlp_epoch", 0), ("mlp_epoch_cpu", 1)):
        j = statistics.median(m[pick] for m in jaring_s)
        t = statistics.median(m[pick] for m in torch_s)
        print(
            json.dumps(
                {"benchmark": name, "jaring_s": round(j, 3), "torch_s": round(t, 3), "ratio": round(j / t, 3)}
            )
        )


if __name__ == "__main__":
    main()
