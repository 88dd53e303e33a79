"""Per-op overhead of the autodiff engine, jaring vs PyTorch, measured in the same run.

Two measurements on small (8x8) float32 tensors, where Python overhead dominates:
  record_op   recording one op in the graph (the add-then-mul pair, divided by 2)
  chain_op    forward + backward through a 10,000-op chain, per op
Targets (issue 2): record_op <= 0.5x PyTorch; chain_op <= 1.0x PyTorch.
Prints a table, then one JSON line per measurement. Run: python benchmarks/overhead.py
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import numpy as np
import torch

import jaring


def median_time(fn, repeats: int) -> float:
    """Median wall time of fn() in seconds over `repeats` runs (after one warm-up)."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def record_pairs(lib_tensor, pairs: int):
    a = lib_tensor
    b = lib_tensor

    def run():
        for _ in range(pairs):
            (a + b) * b

    return run


def chain(make_leaf, length: int):
    def run():
        x = make_leaf()
        y = x
        for _ in range(length):
            y = y * 1.0001
        y.sum().backward()

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--pairs", type=int, default=5000)
    parser.add_argument("--chain", type=int, default=10_000)
    args = parser.parse_args()
    torch.set_num_threads(1)  # tiny tensors: threads only add overhead to PyTorch

    data = np.random.default_rng(0).standard_normal((8, 8)).astype(np.float32)
    jx = jaring.tensor(data, requires_grad=True)
    tx = torch.tensor(data, requires_grad=True)
    ops = 2 * args.pairs
    results = [
        (
            "record_op",
            median_time(record_pairs(jx, args.pairs), args.repeats) / ops,
            median_time(record_pairs(tx, args.pairs), args.repeats) / ops,
            0.5,
        ),
        (
            "chain_op",
            median_time(chain(lambda: jaring.tensor(data, requires_grad=True), args.chain), args.repeats)
            / args.chain,
            median_time(chain(lambda: torch.tensor(data, requires_grad=True), args.chain), args.repeats)
            / args.chain,
            1.0,
        ),
    ]
    print(f"{'measurement':<12} {'jaring us':>10} {'torch us':>10} {'ratio':>7} {'target':>7}")
    for name, j, t, target in results:
        print(f"{name:<12} {j * 1e6:>10.2f} {t * 1e6:>10.2f} {j / t:>7.2f} {'<=' + str(target):>7}")
    for name, j, t, target in results:
        print(json.dumps({"benchmark": name, "jaring_s": j, "torch_s": t, "ratio": j / t, "target": target}))


if __name__ == "__main__":
    main()
