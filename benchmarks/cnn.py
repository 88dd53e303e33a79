"""jaring vs PyTorch on the CPU, in the same process, on the seed's convolutional networks.

1. The default CNN (Conv 32 3x3 same relu, MaxPool 2, Conv 64 3x3 same relu, MaxPool 2,
   Flatten, Dense 64 relu, Dense 10 softmax) on 32x32x3 images, batch 64:
   a train step (forward, cross-entropy, backward, Adam) and inference (forward, softmax).
   jaring runs its Keras-style layers on channels-last input; PyTorch runs NCHW. In the train
   step the final softmax is fused into the cross-entropy on both sides (logits in, as
   torch.nn.functional.cross_entropy takes them).
2. The six-conv CNN (64, 64, 128, 128, 256, 256 filters 3x3 same, a max-pool after each pair,
   Dense 512 relu, Dense 10 softmax) forward over --images images of 32x32x3 per round, in batches.

Three arms: jaring (compiled kernels), jaring_numpy (the same code under JARING_KERNELS=numpy,
the array reference) and PyTorch. Timings are medians over rounds after a warm-up; in a round
each arm runs one block of calls, so all see the same machine load without tripping over each
other's threads. Each arm's line gives the ratio of medians to PyTorch and the range of the
per-round ratios, then one JSON line:
{"benchmark": ..., "arm": ..., "jaring_s": ..., "torch_s": ..., "ratio": ..., "round_ratios": [lo, hi]}.
On a shared, busy machine, `--threads 1 --clock cpu` (one thread each, CPU time of this
process) gives steadier ratios than wall-clock time with threads fighting over cores.
--json PATH also writes every measurement, with every round's ratio, the goal and the machine
(benchmarks/record.py).

    python benchmarks/cnn.py [--repeats 20] [--images 2000] [--six-repeats 5] [--threads N]
                             [--clock cpu] [--profile] [--json PATH]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time
from collections.abc import Callable

import numpy as np
import torch
from threadpoolctl import threadpool_limits

import jaring
import jaring.functional as F
import jaring.nn as nn
from jaring.optim import Adam

import record  # benchmarks/record.py, beside this script


def default_models(seed: int = 0) -> tuple:
    """The seed's default CNN in jaring (channels-last, Keras style) and in PyTorch (NCHW)."""
    model = nn.Sequential(
        nn.Conv2D(32, 3, padding="same", activation="relu", seed=seed),
        nn.MaxPool2D(2),
        nn.Conv2D(64, 3, padding="same", activation="relu", seed=seed),
        nn.MaxPool2D(2),
        nn.Flatten(),
        nn.Dense(64, activation="relu", seed=seed),
        nn.Dense(10, seed=seed),
    ).build((None, 32, 32, 3))
    reference = torch.nn.Sequential(
        torch.nn.Conv2d(3, 32, 3, padding=1),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(32, 64, 3, padding=1),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Flatten(),
        torch.nn.Linear(64 * 8 * 8, 64),
        torch.nn.ReLU(),
        torch.nn.Linear(64, 10),
    )
    return model, reference


def six_conv_models(seed: int = 0) -> tuple:
    """The seed's six-conv CNN in jaring (channels-last) and PyTorch (NCHW)."""
    layers, reference, channels = [], [], 3
    for block in (64, 128, 256):
        for _ in range(2):
            layers.append(nn.Conv2D(block, 3, padding="same", activation="relu", seed=seed))
            reference += [torch.nn.Conv2d(channels, block, 3, padding=1), torch.nn.ReLU()]
            channels = block
        layers.append(nn.MaxPool2D(2))
        reference.append(torch.nn.MaxPool2d(2))
    layers += [nn.Flatten(), nn.Dense(512, activation="relu", seed=seed), nn.Dense(10, seed=seed)]
    reference += [
        torch.nn.Flatten(),
        torch.nn.Linear(256 * 4 * 4, 512),
        torch.nn.ReLU(),
        torch.nn.Linear(512, 10),
    ]
    return nn.Sequential(*layers).build((None, 32, 32, 3)), torch.nn.Sequential(*reference)


CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}
CLOCK_NAME = "wall"
clock = CLOCKS[CLOCK_NAME]


def with_reference_code(fn: Callable) -> Callable:
    """fn run with jaring's array-module code instead of its compiled kernels (JARING_KERNELS=numpy)."""

    def run() -> None:
        with jaring.kernels.use("numpy"):
            fn()

    return run


# What --json writes: every record and every JSON line printed.
RECORDS: list[dict] = []
LINES = record.Lines()


def report(name: str, times: dict[str, list], **extra: object) -> None:
    """Median seconds of each arm, and each jaring arm's ratio to PyTorch: the ratio of the medians,
    and the range of the per-round ratios (each round's blocks ran back to back)."""
    goal = record.goal(name)
    torch_s = statistics.median(times["torch"])
    for arm in ("jaring", "jaring_numpy"):
        per_round = [j / t for j, t in zip(times[arm], times["torch"])]
        jaring_s = statistics.median(times[arm])
        ratio = jaring_s / torch_s
        print(
            f"{name} ({arm}): {jaring_s * 1e3:.1f} ms against PyTorch {torch_s * 1e3:.1f} ms, "
            f"ratio {ratio:.2f} "
            f"(rounds {min(per_round):.2f}-{max(per_round):.2f}, goal <= {goal})"
        )
        line = {"benchmark": name, "arm": arm, "jaring_s": jaring_s, "torch_s": torch_s, "ratio": ratio}
        LINES.print({**line, "round_ratios": [min(per_round), max(per_round)], "goal": goal, **extra})
        RECORDS.append(
            record.measurement(name, arm, jaring_s, torch_s, ratio, per_round, CLOCK_NAME, **extra)
        )


def bench_default(repeats: int, batch: int, profile: bool) -> None:
    model, reference = default_models()
    rng = np.random.default_rng(0)
    images = rng.random((batch, 32, 32, 3), dtype=np.float32)
    labels = rng.integers(0, 10, batch)
    x, y = jaring.tensor(images), jaring.tensor(labels)
    tx, ty = torch.tensor(images.transpose(0, 3, 1, 2).copy()), torch.tensor(labels)
    optimizer, torch_optimizer = Adam(model.parameters()), torch.optim.Adam(reference.parameters())

    def jaring_step() -> None:
        optimizer.zero_grad()
        F.cross_entropy(model(x), y).backward()
        optimizer.step()

    def torch_step() -> None:
        torch_optimizer.zero_grad()
        torch.nn.functional.cross_entropy(reference(tx), ty).backward()
        torch_optimizer.step()

    def jaring_predict() -> None:
        with jaring.no_grad():
            F.softmax(model(x))

    def torch_predict() -> None:
        with torch.no_grad():
            torch.softmax(reference(tx), dim=1)

    for name, jaring_fn, torch_fn in (
        ("cnn_train_step", jaring_step, torch_step),
        ("cnn_inference", jaring_predict, torch_predict),
    ):
        arms = {"jaring": jaring_fn, "jaring_numpy": with_reference_code(jaring_fn), "torch": torch_fn}
        report(name, record.rounds_of_blocks(arms, repeats, block=5, clock=clock), batch=batch)
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(repeats):
            jaring_step()
        profiler.disable()
        print(f"\njaring train step, cumulative over {repeats} steps:")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


def bench_six_conv(images: int, batch: int, repeats: int) -> None:
    model, reference = six_conv_models()
    data = np.random.default_rng(1).random((images, 32, 32, 3), dtype=np.float32)
    nchw = torch.tensor(data.transpose(0, 3, 1, 2).copy())

    def run_jaring() -> None:
        with jaring.no_grad():
            for start in range(0, images, batch):
                F.softmax(model(jaring.tensor(data[start : start + batch])))

    def run_torch() -> None:
        with torch.no_grad():
            for start in range(0, images, batch):
                torch.softmax(reference(nchw[start : start + batch]), dim=1)

    arms = {"jaring": run_jaring, "jaring_numpy": with_reference_code(run_jaring), "torch": run_torch}
    report(
        "six_conv_forward",
        record.rounds_of_blocks(arms, repeats, warmup=0, clock=clock),
        images=images,
        batch=batch,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=20, help="timed repeats per measurement (default 20)")
    parser.add_argument("--batch", type=int, default=64, help="batch size of the default CNN (default 64)")
    parser.add_argument(
        "--images", type=int, default=2_000, help="images per round of the six-conv forward (0 skips)"
    )
    parser.add_argument("--six-repeats", type=int, default=5, help="rounds of the six-conv forward")
    parser.add_argument("--six-batch", type=int, default=32, help="batch size of the six-conv forward")
    parser.add_argument("--threads", type=int, default=None, help="threads for PyTorch and NumPy's BLAS")
    parser.add_argument(
        "--clock", choices=sorted(CLOCKS), default="wall", help="wall time or process CPU time"
    )
    parser.add_argument("--profile", action="store_true", help="print a cProfile of jaring's train step")
    parser.add_argument("--json", metavar="PATH", help="also write every measurement to PATH")
    args = parser.parse_args()
    global clock, CLOCK_NAME
    CLOCK_NAME, clock = args.clock, CLOCKS[args.clock]
    if args.threads:
        torch.set_num_threads(args.threads)
    with threadpool_limits(limits=args.threads, user_api="blas"):
        print(
            f"PyTorch {torch.__version__} with {torch.get_num_threads()} threads, NumPy {np.__version__}, "
            f"{args.clock} clock"
        )
        bench_default(args.repeats, args.batch, args.profile)
        if args.images:
            bench_six_conv(args.images, args.six_batch, args.six_repeats)
        if args.json:  # inside the thread limits, so that the file records the threads measured with
            record.write(args.json, "cnn", RECORDS, LINES)


if __name__ == "__main__":
    main()
