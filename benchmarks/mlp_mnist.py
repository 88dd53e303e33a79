"""Seconds per MNIST epoch for a 784-500-10 ReLU MLP (cross-entropy, Adam 1e-3, batch 100):
jaring's fit() against a PyTorch eager loop, measured in the same run (blocks interleaved),
median over the blocks.

    python benchmarks/mlp_mnist.py [--epochs 5] [--samples 60000] [--random] [--numpy]

Uses MNIST from $JARING_DATA (or the other places jaring.data looks) and random data of the
same shape when it is absent. jaring runs twice, with its compiled kernels ("jaring") and with
JARING_KERNELS=numpy's reference code ("jaring_numpy"), to show what the kernels bring. A block
is one epoch over the first --samples samples. The "torch_ftz" arm is the PyTorch loop under
torch.set_flush_denormal(True): from about step 770 on, Adam's first moment for MNIST's blank
border pixels is subnormal, which x86 CPUs compute on far slower; jaring's fused optimizers
flush such state to zero (jaring/kernels/optim.py), PyTorch does on request. The final lines
also give jaring's ratio to it ("ratio_to_torch_ftz"). Prints one JSON line per contestant and final
ratio lines: {"benchmark": "mlp_epoch", "jaring_s": ..., "torch_s": ..., "ratio": ...,
"ratio_range": [min, max] of the per-block ratios, ...} for wall-clock time and "mlp_epoch_cpu"
for CPU time (steadier on a busy, shared machine). With --numpy a hand-written NumPy loop (same
math, textbook Adam) runs as another contestant.
Both frameworks use all cores by default; set OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 to
compare them on one core. --json PATH also writes every measurement, with every block's
ratio, the goal and the machine (benchmarks/record.py).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np

import jaring
from jaring import kernels, nn
from jaring.memory import keep_freed_memory
from jaring.optim import Adam
from jaring.training import fit

import record  # benchmarks/record.py, beside this script

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


def jaring_epoch(x: np.ndarray, y: np.ndarray, mode: str = "numba") -> Callable[[int], tuple[float, float]]:
    """One epoch of jaring's fit() per call (the model and Adam state carry over), in kernels `mode`."""
    jaring.manual_seed(0)
    model = nn.Sequential(nn.Linear(784, HIDDEN, seed=0), nn.ReLU(), nn.Linear(HIDDEN, CLASSES, seed=1))
    opt = Adam(model.parameters(), lr=LR)

    def run(epoch: int) -> None:
        with kernels.use(mode):
            fit(model, x, y, loss="cross_entropy", optimizer=opt, batch_size=BATCH, epochs=1, seed=epoch)

    return timed(run)


def torch_epoch(x: np.ndarray, y: np.ndarray, flush: bool = False) -> Callable[[int], tuple[float, float]]:
    """One epoch of an eager PyTorch loop per call, gathering shuffled batches the same way; with
    flush, under torch.set_flush_denormal(True) (subnormal numbers computed as zero, the flushing
    jaring's fused optimizers do to their state), restored after the epoch."""
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
        torch.set_flush_denormal(flush)
        try:
            for i in range(0, len(xt), BATCH):
                idx = order[i : i + BATCH]
                loss = loss_fn(model(xt[idx]), yt[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
        finally:
            torch.set_flush_denormal(False)

    return timed(run)


def numpy_epoch(x: np.ndarray, y: np.ndarray) -> Callable[[int], tuple[float, float]]:
    """A hand-written NumPy loop with the same math (forward, backward, textbook Adam): what
    NumPy alone reaches on this machine, the floor any NumPy library works against."""
    rng = np.random.default_rng(0)
    bound1, bound2 = 1 / np.sqrt(784), 1 / np.sqrt(HIDDEN)
    params = [
        rng.uniform(-bound1, bound1, (HIDDEN, 784)).astype(np.float32),
        rng.uniform(-bound1, bound1, HIDDEN).astype(np.float32),
        rng.uniform(-bound2, bound2, (CLASSES, HIDDEN)).astype(np.float32),
        rng.uniform(-bound2, bound2, CLASSES).astype(np.float32),
    ]
    moments = [(np.zeros_like(p), np.zeros_like(p)) for p in params]
    step = [0]

    def adam(grads: list) -> None:
        step[0] += 1
        b1, b2, t = 0.9, 0.999, step[0]
        for p, g, (m, v) in zip(params, grads, moments):
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * g * g
            p -= LR / (1 - b1**t) * m / (np.sqrt(v / (1 - b2**t)) + 1e-8)

    def run(epoch: int) -> None:
        order = np.random.default_rng(epoch).permutation(len(x))
        w1, b1, w2, b2 = params
        for i in range(0, len(x), BATCH):
            idx = order[i : i + BATCH]
            xb, yb = x[idx], y[idx]
            h = np.maximum(xb @ w1.T + b1, 0)
            logits = h @ w2.T + b2
            logits -= logits.max(axis=1, keepdims=True)
            prob = np.exp(logits)
            prob /= prob.sum(axis=1, keepdims=True)
            prob[np.arange(len(yb)), yb] -= 1
            prob /= len(yb)
            dh = (prob @ w2) * (h > 0)
            adam([dh.T @ xb, dh.sum(axis=0), prob.T @ h, prob.sum(axis=0)])

    return timed(run)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5, help="blocks timed per contestant (median)")
    parser.add_argument("--samples", type=int, default=60000, help="samples per block (60000: a full epoch)")
    parser.add_argument("--random", action="store_true", help="use random data even when MNIST is present")
    parser.add_argument(
        "--numpy", action="store_true", help="also time a hand-written NumPy loop (the floor for NumPy)"
    )
    parser.add_argument("--json", metavar="PATH", help="also write every measurement to PATH")
    args = parser.parse_args(argv)
    keep_freed_memory()  # this process only trains: let malloc keep freed blocks (see jaring.memory)
    x, y, source = mnist_or_random(args.random)
    x, y = x[: args.samples], y[: args.samples]
    import torch

    lines = record.Lines()
    lines.print({"data": source, "samples": len(x), "torch_threads": torch.get_num_threads()})
    runners = {
        "jaring": jaring_epoch(x, y),
        "jaring_numpy": jaring_epoch(x, y, "numpy"),
        "torch": torch_epoch(x, y),
        "torch_ftz": torch_epoch(x, y, flush=True),
    }
    if args.numpy:
        runners["numpy"] = numpy_epoch(x, y)
    for run in runners.values():  # warm-up: compiled kernels loaded, caches filled
        run(1000)
    measured: dict[str, list] = {name: [] for name in runners}
    for epoch in range(args.epochs):  # interleaved, so a change in machine load hits all alike
        for framework, run in runners.items():
            measured[framework].append(run(epoch))
    for framework, times in measured.items():
        each = {"wall_s": [round(w, 3) for w, _ in times], "cpu_s": [round(c, 3) for _, c in times]}
        lines.print({"benchmark": "mlp_epoch_each", "framework": framework, **each})
    torch_times = measured["torch"]
    records = []
    for name, pick in (("mlp_epoch", 0), ("mlp_epoch_cpu", 1)):
        line: dict = {"benchmark": name}
        torch_s = statistics.median(t[pick] for t in torch_times)
        for framework, times in measured.items():
            median = statistics.median(m[pick] for m in times)
            key = "" if framework == "jaring" else f"{framework}_"
            line[f"{framework}_s"] = round(median, 3)
            if framework != "torch":
                ratios = [m[pick] / t[pick] for m, t in zip(times, torch_times)]
                line[f"{key}ratio"] = round(statistics.median(ratios), 3)
                line[f"{key}ratio_range"] = [round(min(ratios), 3), round(max(ratios), 3)]
                ratio, clock = statistics.median(ratios), ("wall", "cpu")[pick]
                extra = {"data": source, "samples": len(x)}
                measured_arm = record.measurement(
                    name, framework, median, torch_s, ratio, ratios, clock, **extra
                )
                if framework == "torch_ftz":  # PyTorch against itself: the goal is jaring's
                    measured_arm["goal"] = None
                records.append(measured_arm)
        # jaring against PyTorch with subnormals flushed too, block by block
        flushed = measured["torch_ftz"]
        ratios = [m[pick] / t[pick] for m, t in zip(measured["jaring"], flushed)]
        line["ratio_to_torch_ftz"] = round(statistics.median(ratios), 3)
        line["ratio_to_torch_ftz_range"] = [round(min(ratios), 3), round(max(ratios), 3)]
        median_jaring = statistics.median(m[pick] for m in measured["jaring"])
        median_flushed = statistics.median(t[pick] for t in flushed)
        records.append(
            record.measurement(
                name,
                "jaring_vs_torch_ftz",
                median_jaring,
                median_flushed,
                statistics.median(ratios),
                ratios,
                ("wall", "cpu")[pick],
                data=source,
                samples=len(x),
            )
        )
        lines.print(line)
    if args.json:
        record.write(args.json, "mlp_mnist", records, lines)


if __name__ == "__main__":
    main()
