"""LSTM text classifier, jaring vs PyTorch, measured in the same run.

Model: Embedding(3000, 64) -> LSTM(64) -> Dense(3), sequences of 60 token ids, batch 32.
  lstm_train_step  forward, cross-entropy, backward and one Adam step
  lstm_inference   forward only, no graph
Three arms with the same weights: jaring, jaring under JARING_KERNELS=numpy (its array
reference code) and PyTorch; they take turns in blocks of calls so that background load hits
all alike, then each one's median is taken after a warm-up. Goals (issue 15): train step
<= 0.6x torch.nn.LSTM, inference <= 0.7x. Prints a table with the ratio of medians and the
range of the per-round ratios, then one JSON line per measurement. Run: python benchmarks/lstm.py
(--threads 1 limits NumPy's BLAS and PyTorch to one thread each; adding --cpu-time then times
this thread's CPU time instead of the wall clock, which a busy machine disturbs far less).
--json PATH also writes every measurement, with every round's ratio, the goal and the machine
(benchmarks/record.py).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import scipy.linalg.cython_blas  # noqa: F401  (see main)
import torch
from threadpoolctl import threadpool_limits

import jaring
import jaring.functional as F
from jaring import nn, optim

import record  # benchmarks/record.py, beside this script

VOCAB, DIM, UNITS, CLASSES, TIME, BATCH = 3000, 64, 64, 3, 60, 32
BLOCK = 5  # calls per arm in a round (record.rounds_of_blocks)


def build_jaring():
    model = nn.Sequential(
        nn.Embedding(VOCAB, DIM, seed=0), nn.LSTM(UNITS, input_dim=DIM, seed=1), nn.Dense(CLASSES, seed=2)
    )
    model.build((BATCH, TIME))
    return model


def build_torch(jmodel):
    """The same network in PyTorch, with jaring's weights copied in."""

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = torch.nn.Embedding(VOCAB, DIM)
            self.lstm = torch.nn.LSTM(DIM, UNITS, batch_first=True)
            self.dense = torch.nn.Linear(UNITS, CLASSES)

        def forward(self, ids):
            _, (h, _) = self.lstm(self.embedding(ids))
            return self.dense(h[0])

    net = Net()
    emb, lstm, dense = jmodel
    with torch.no_grad():
        net.embedding.weight.copy_(torch.from_numpy(emb.weight.numpy()))
        net.lstm.weight_ih_l0.copy_(torch.from_numpy(lstm.weight_ih.numpy()))
        net.lstm.weight_hh_l0.copy_(torch.from_numpy(lstm.weight_hh.numpy()))
        net.lstm.bias_ih_l0.copy_(torch.from_numpy(lstm.bias.numpy()))
        net.lstm.bias_hh_l0.zero_()
        net.dense.weight.copy_(torch.from_numpy(dense.weight.numpy()))
        net.dense.bias.copy_(torch.from_numpy(dense.bias.numpy()))
    return net


def _blas_threads() -> int:
    from threadpoolctl import threadpool_info

    return max((pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"), default=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--threads", type=int, default=None, help="BLAS and torch threads (default: theirs)")
    parser.add_argument("--cpu-time", action="store_true", help="time thread CPU time (needs --threads 1)")
    parser.add_argument("--json", metavar="PATH", help="also write every measurement to PATH")
    args = parser.parse_args()
    if args.cpu_time and args.threads != 1:
        parser.error("--cpu-time measures one thread, so it needs --threads 1")
    clock = time.thread_time if args.cpu_time else time.perf_counter
    if args.threads is not None:
        # jaring's recurrent kernels call BLAS from Numba, which uses SciPy's copy of OpenBLAS
        # (imported above): a limit covers only the libraries loaded when it is set
        torch.set_num_threads(args.threads)
        threadpool_limits(args.threads)

    rng = np.random.default_rng(0)
    ids = rng.integers(1, VOCAB, (BATCH, TIME))
    labels = rng.integers(0, CLASSES, BATCH)
    jmodel = build_jaring()
    tmodel = build_torch(jmodel)
    j_ids, t_ids, t_labels = jaring.tensor(ids), torch.from_numpy(ids), torch.from_numpy(labels)
    j_opt = optim.Adam(jmodel.parameters(), lr=1e-3)
    t_opt = torch.optim.Adam(tmodel.parameters(), lr=1e-3)

    with torch.no_grad(), jaring.no_grad():  # same logits from the same weights, before training
        np.testing.assert_allclose(jmodel(j_ids).numpy(), tmodel(t_ids).numpy(), rtol=1e-4, atol=1e-5)

    def j_train():
        j_opt.zero_grad()
        F.cross_entropy(jmodel(j_ids), labels).backward()
        j_opt.step()

    def t_train():
        t_opt.zero_grad()
        torch.nn.functional.cross_entropy(tmodel(t_ids), t_labels).backward()
        t_opt.step()

    def j_infer():
        with jaring.no_grad():
            jmodel(j_ids)

    def reference(fn):
        def run():
            with jaring.kernels.use("numpy"):
                fn()

        return run

    def t_infer():
        with torch.no_grad():
            tmodel(t_ids)

    results = []
    for name, (jfn, tfn) in (
        ("lstm_train_step", (j_train, t_train)),
        ("lstm_inference", (j_infer, t_infer)),
    ):
        goal = record.goal(name)
        arms = {"jaring": jfn, "jaring_numpy": reference(jfn), "torch": tfn}
        times = record.rounds_of_blocks(arms, max(1, args.repeats // BLOCK), BLOCK, args.warmup, clock)
        j_t, n_t, t_t = times["jaring"], times["jaring_numpy"], times["torch"]
        for arm, times in (("jaring", j_t), ("jaring_numpy", n_t)):
            rounds = [j / t for j, t in zip(times, t_t)]
            results.append((name, arm, statistics.median(times), statistics.median(t_t), rounds, goal))

    print(
        f"torch threads: {torch.get_num_threads()}, NumPy BLAS threads: {_blas_threads()}, "
        f"clock: {'thread CPU time' if args.cpu_time else 'wall'}"
    )
    print(
        f"{'benchmark':<18}{'arm':<14}{'jaring ms':>11}{'torch ms':>11}{'ratio':>8}{'rounds':>12}{'goal':>6}"
    )
    for name, arm, j_s, t_s, rounds, goal in results:
        spread = f"{min(rounds):.2f}-{max(rounds):.2f}"
        print(
            f"{name:<18}{arm:<14}{j_s * 1e3:>11.2f}{t_s * 1e3:>11.2f}{j_s / t_s:>8.2f}{spread:>12}"
            f"{goal:>6.1f}"
        )
    lines, records, clock_name = record.Lines(), [], "thread_cpu" if args.cpu_time else "wall"
    for name, arm, j_s, t_s, rounds, goal in results:
        line = {"benchmark": name, "arm": arm, "jaring_s": j_s, "torch_s": t_s, "ratio": j_s / t_s}
        lines.print({**line, "round_ratios": [min(rounds), max(rounds)], "goal": goal})
        records.append(record.measurement(name, arm, j_s, t_s, j_s / t_s, rounds, clock_name, batch=BATCH))
    if args.json:
        record.write(args.json, "lstm", records, lines)


if __name__ == "__main__":
    main()
