"""jaring vs PyTorch on the CPU, in the same process, on the seed's convolutional networks.

1. The default CNN (Conv 32 3x3 same relu, MaxPool 2, Conv 64 3x3 same relu, MaxPool 2,
   Flatten, Dense 64 relu, Dense 10 softmax) on 32x32x3 images, batch 64:
   a train step (forward, cross-entropy, backward, Adam) and inference (forward, softmax).
   jaring runs its Keras-style layers on channels-last input; PyTorch runs NCHW. In the train
   step the final softmax is fused into the cross-entropy on both sides (logits in, as
   torch.nn.functional.cross_entropy takes them).
2. The six-conv CNN (64, 64, 128, 128, 256, 256 filters 3x3 same, a max-pool after each pair,
   Dense 512 relu, Dense 10 softmax) forward over 10,000 images of 32x32x3, in batches.

Timings are medians over repeats after a warm-up, the two libraries alternating in blocks of
calls so that both see the same machine load without tripping over each other's threads.
Each measurement ends with one JSON line:
{"benchmark": ..., "jaring_s": ..., "torch_s": ..., "ratio": jaring / torch}.
On a shared, busy machine, `--threads 1 --clock cpu` (one thread each, CPU time of this
process) gives steadier ratios than wall-clock time with threads fighting over cores.

    python benchmarks/cnn.py [--repeats 20] [--images 10000] [--threads N] [--clock cpu] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import json
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
clock = CLOCKS["wall"]


def alternate(
    jaring_fn: Callable, torch_fn: Callable, repeats: int, warmup: int = 3, block: int = 1
) -> tuple:
    """Median seconds per call of each function, the two alternating in blocks of `block` calls.

    Blocks, not single calls: each library's idle threads (OpenBLAS's and OpenMP's spin for a
    while after a call) would otherwise slow the other's next call.
    """
    for _ in range(warmup):
        jaring_fn()
        torch_fn()
    times: tuple = ([], [])
    for _ in range(repeats):
        for fn, bucket in zip((jaring_fn, torch_fn), times):
            fn()  # the first call after a switch pays for the other library's threads
            start = clock()
            for _ in range(block):
                fn()
            bucket.append((clock() - start) / block)
    return statistics.median(times[0]), statistics.median(times[1])


def report(name: str, jaring_s: float, torch_s: float, **extra: object) -> None:
    ratio = jaring_s / torch_s
    print(f"{name}: jaring {jaring_s * 1e3:.1f} ms, PyTorch {torch_s * 1e3:.1f} ms, ratio {ratio:.2f}")
    print(json.dumps({"benchmark": name, "jaring_s": jaring_s, "torch_s": torch_s, "ratio": ratio, **extra}))


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

    report("cnn_train_step", *alternate(jaring_step, torch_step, repeats, block=5), batch=batch)
    report("cnn_inference", *alternate(jaring_predict, torch_predict, repeats, block=5), batch=batch)
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(repeats):
            jaring_step()
        profiler.disable()
        print(f"\njaring train step, cumulative over {repeats} steps:")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


def bench_six_conv(images: int, batch: int) -> None:
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

    jaring_s, torch_s = alternate(run_jaring, run_torch, repeats=1, warmup=0)
    report("six_conv_forward_10k", jaring_s, torch_s, images=images, batch=batch, target_s=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=20, help="timed repeats per measurement (default 20)")
    parser.add_argument("--batch", type=int, default=64, help="batch size of the default CNN (default 64)")
    parser.add_argument(
        "--images", type=int, default=10_000, help="images for the six-conv forward (0 skips)"
    )
    parser.add_argument("--six-batch", type=int, default=32, help="batch size of the six-conv forward")
    parser.add_argument("--threads", type=int, default=None, help="threads for PyTorch and NumPy's BLAS")
    parser.add_argument(
        "--clock", choices=sorted(CLOCKS), default="wall", help="wall time or process CPU time"
    )
    parser.add_argument("--profile", action="store_true", help="print a cProfile of jaring's train step")
    args = parser.parse_args()
    global clock
    clock = CLOCKS[args.clock]
    if args.threads:
        torch.set_num_threads(args.threads)
    with threadpool_limits(limits=args.threads, user_api="blas"):
        print(
            f"PyTorch {torch.__version__} with {torch.get_num_threads()} threads, NumPy {np.__version__}, "
            f"{args.clock} clock"
        )
        bench_default(args.repeats, args.batch, args.profile)
        if args.images:
            bench_six_conv(args.images, args.six_batch)


if __name__ == "__main__":
    main()
