"""Per-op overhead of the autodiff engine, jaring vs PyTorch, measured in the same run.

Two measurements on small (8x8) float32 tensors, where Python overhead dominates:
  record_op   recording one op in the graph (the add-then-mul pair, divided by 2)
  chain_op    forward + backward through a 10,000-op chain, per op
Targets (issue 2): record_op <= 0.5x PyTorch; chain_op <= 1.0x PyTorch.
The two libraries take turns, one timed run each per round, so both see the same machine load;
the ratio is that of the medians over the rounds. Prints a table, then one JSON line per
measurement; --json PATH also writes every round's ratio (benchmarks/record.py).
Run: python benchmarks/overhead.py
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import torch

import jaring
import record  # benchmarks/record.py, beside this script


def round_times(fns: list, repeats: int) -> list[list[float]]:
    """Wall seconds of each fn() in each of `repeats` rounds (after one warm-up call each); in a
    round every fn runs once, so a change in machine load hits all of them alike."""
    for fn in fns:
        fn()
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeats):
        for fn, bucket in zip(fns, times):
            start = time.perf_counter()
            fn()
            bucket.append(time.perf_counter() - start)
    return times


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
    parser.add_argument("--json", metavar="PATH", help="also write every measurement to PATH")
    args = parser.parse_args()
    torch.set_num_threads(1)  # tiny tensors: threads only add overhead to PyTorch

    data = np.random.default_rng(0).standard_normal((8, 8)).astype(np.float32)
    jx = jaring.tensor(data, requires_grad=True)
    tx = torch.tensor(data, requires_grad=True)
    ops = 2 * args.pairs
    measured = {
        "record_op": (
            round_times([record_pairs(jx, args.pairs), record_pairs(tx, args.pairs)], args.repeats),
            ops,
        ),
        "chain_op": (
            round_times(
                [
                    chain(lambda: jaring.tensor(data, requires_grad=True), args.chain),
                    chain(lambda: torch.tensor(data, requires_grad=True), args.chain),
                ],
                args.repeats,
            ),
            args.chain,
        ),
    }
    results, records = [], []
    for name, ((j_times, t_times), per) in measured.items():
        j, t = statistics.median(j_times) / per, statistics.median(t_times) / per
        results.append((name, j, t, record.goal(name)))
        rounds = [a / b for a, b in zip(j_times, t_times)]
        records.append(record.measurement(name, "jaring", j, t, j / t, rounds, "wall", ops_per_run=per))
    print(f"{'measurement':<12} {'jaring us':>10} {'torch us':>10} {'ratio':>7} {'target':>7}")
    for name, j, t, target in results:
        print(f"{name:<12} {j * 1e6:>10.2f} {t * 1e6:>10.2f} {j / t:>7.2f} {'<=' + str(target):>7}")
    lines = record.Lines()
    for name, j, t, target in results:
        lines.print({"benchmark": name, "jaring_s": j, "torch_s": t, "ratio": j / t, "target": target})
    if args.json:
        record.write(args.json, "overhead", records, lines)


if __name__ == "__main__":
    main()
