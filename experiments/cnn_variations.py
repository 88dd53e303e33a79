"""The seed's four CNN studies, in jaring and in PyTorch from the same initial weights and batches.

    JARING_DATA=/path/to/datasets python experiments/cnn_variations.py [--train 10000] [--epochs 3]
        [--dataset fashion_mnist|cifar10] [--threads 1] [--only layers,filters,kernel,pooling]

Studies, each varying one thing of the default CNN (Conv 32 3x3 same relu, MaxPool 2, Conv 64
3x3 same relu, MaxPool 2, Flatten, Dense 64 relu, Dense 10 softmax): conv layers 1/2/3
(filters 32, 32-64, 32-64-128), filters 16-32 / 32-64 / 64-128, kernel size 2 to 6, max vs
average pooling. Each model trains with Adam (lr 1e-3, batch 64) on the first --train training
images; the score is macro-F1 on the whole test set. jaring and PyTorch start from the same
weights (jaring's, copied) and see the same batches, epoch by epoch in turn, so a change in
machine load affects both alike. A configuration shared by several studies trains once.
Prints a Markdown table: macro-F1 and seconds per epoch for both. Not a test: it needs the
real data and takes minutes (about 15 on one thread each with the defaults).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch
from threadpoolctl import threadpool_limits

from jaring import functional as F
from jaring.autograd.function import no_grad
from jaring.data.datasets import load_cifar10, load_fashion_mnist
from jaring.models import CNN
from jaring.optim import Adam
from jaring.training.metrics import macro_f1

DEFAULT = {"filters": (32, 64), "kernel_size": 3, "pooling": "max"}
STUDIES = {
    "layers": [("1 conv layer", {"filters": (32,)}), ("2 conv layers", {}),
               ("3 conv layers", {"filters": (32, 64, 128)})],
    "filters": [("filters 16-32", {"filters": (16, 32)}), ("filters 32-64", {}),
                ("filters 64-128", {"filters": (64, 128)})],
    "kernel": [(f"kernel {k}x{k}", {"kernel_size": k}) for k in range(2, 7)],
    "pooling": [("max pooling", {}), ("average pooling", {"pooling": "avg"})],
}  # fmt: skip


def torch_copy(model: CNN) -> torch.nn.Sequential:
    """The same network in PyTorch (NCHW) holding the jaring model's weights.

    jaring's Flatten sees channels-last maps (H, W, C order), PyTorch's (C, H, W), so the first
    dense layer's columns are reordered. "same" padding is TensorFlow's rule, asymmetric for
    even kernels, so PyTorch gets an explicit ZeroPad2d before each convolution.
    """
    layers: list[torch.nn.Module] = []
    shape = None
    for layer in model.layers:
        name = type(layer).__name__
        if name == "Conv2D":
            kh, kw = layer.kernel_size
            # TensorFlow "same", stride 1: (k - 1) // 2 before, the rest after.
            layers.append(torch.nn.ZeroPad2d(((kw - 1) // 2, kw // 2, (kh - 1) // 2, kh // 2)))
            conv = torch.nn.Conv2d(layer.in_channels, layer.filters, layer.kernel_size)
            conv.weight.data = torch.from_numpy(layer.weight.numpy().copy())
            conv.bias.data = torch.from_numpy(layer.bias.numpy().copy())
            layers += [conv, torch.nn.ReLU()]
            shape = layer.filters
        elif name in ("MaxPool2D", "AvgPool2D"):
            pool = torch.nn.MaxPool2d if name == "MaxPool2D" else torch.nn.AvgPool2d
            layers.append(pool(layer.pool_size))
        elif name == "Flatten":
            layers.append(torch.nn.Flatten())
        else:
            dense = torch.nn.Linear(layer.in_features, layer.units)
            weight = layer.weight.numpy()
            if isinstance(shape, int):  # the first dense layer: columns from (H, W, C) to (C, H, W) order
                hw = layer.in_features // shape
                weight = weight.reshape(layer.units, hw, shape).transpose(0, 2, 1).reshape(layer.units, -1)
                shape = None
            dense.weight.data = torch.from_numpy(np.ascontiguousarray(weight))
            dense.bias.data = torch.from_numpy(layer.bias.numpy().copy())
            layers.append(dense)
            if type(layer.activation).__name__ == "ReLU":
                layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def predict_jaring(model: CNN, x: np.ndarray, batch: int = 500) -> np.ndarray:
    model.eval()
    with no_grad():
        return np.concatenate(
            [model.logits(x[i : i + batch]).numpy().argmax(1) for i in range(0, len(x), batch)]
        )


def predict_torch(model: torch.nn.Module, x: np.ndarray, batch: int = 500) -> np.ndarray:
    model.eval()
    with torch.no_grad():
        return np.concatenate(
            [model(torch.from_numpy(x[i : i + batch])).argmax(1).numpy() for i in range(0, len(x), batch)]
        )


def run(config: dict, data: tuple, args: argparse.Namespace) -> dict:
    """Train one configuration in both libraries; macro-F1 and mean seconds per epoch."""
    (x_train, y_train), (x_test, y_test) = data
    channels_last = x_train.transpose(0, 2, 3, 1)  # jaring gets the Keras layout (a view)
    model = CNN(input_shape=channels_last.shape[1:], num_classes=10, seed=args.seed, **config)
    reference = torch_copy(model)
    opt = Adam(model.parameters(), lr=args.lr)
    ref_opt = torch.optim.Adam(reference.parameters(), lr=args.lr)
    rng = np.random.default_rng(args.seed)
    seconds = {"jaring": 0.0, "torch": 0.0}
    y_torch = torch.from_numpy(y_train)
    for _ in range(args.epochs):
        order = rng.permutation(len(x_train))
        batches = [order[i : i + args.batch_size] for i in range(0, len(order), args.batch_size)]
        model.train()
        start = time.perf_counter()
        for idx in batches:
            loss = F.cross_entropy(model.logits(channels_last[idx]), y_train[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        seconds["jaring"] += time.perf_counter() - start
        reference.train()
        start = time.perf_counter()
        for idx in batches:
            loss = torch.nn.functional.cross_entropy(reference(torch.from_numpy(x_train[idx])), y_torch[idx])
            ref_opt.zero_grad()
            loss.backward()
            ref_opt.step()
        seconds["torch"] += time.perf_counter() - start
    return {
        "jaring_f1": macro_f1(y_test, predict_jaring(model, x_test.transpose(0, 2, 3, 1))),
        "torch_f1": macro_f1(y_test, predict_torch(reference, x_test)),
        "jaring_s": seconds["jaring"] / args.epochs,
        "torch_s": seconds["torch"] / args.epochs,
    }


def load(args: argparse.Namespace) -> tuple:
    """Training subset and full test set as NCHW float32 arrays."""
    if args.dataset == "cifar10":
        (x_train, y_train), (x_test, y_test) = load_cifar10()
    else:
        (x_train, y_train), (x_test, y_test) = load_fashion_mnist()
        x_train, x_test = x_train[:, None], x_test[:, None]
    x_train, y_train = x_train[: args.train], y_train[: args.train]
    return (np.ascontiguousarray(x_train), y_train), (np.ascontiguousarray(x_test), y_test)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dataset", choices=("fashion_mnist", "cifar10"), default="fashion_mnist")
    parser.add_argument("--train", type=int, default=10_000, help="training images used (default 10000)")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1, help="BLAS / torch threads for each library")
    parser.add_argument(
        "--only", default=",".join(STUDIES), help=f"comma-separated studies of {list(STUDIES)}"
    )
    args = parser.parse_args()
    studies = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = sorted(set(studies) - set(STUDIES))
    if unknown:
        parser.error(f"unknown studies {unknown}; choose from {list(STUDIES)}")
    torch.set_num_threads(args.threads)
    data = load(args)
    print(f"{args.dataset}: {len(data[0][0])} training images, {len(data[1][0])} test images, "
          f"{args.epochs} epochs, {args.threads} thread(s) each", flush=True)  # fmt: skip
    results: dict[tuple, dict] = {}
    rows = []
    with threadpool_limits(args.threads):
        for study in studies:
            for label, change in STUDIES[study]:
                config = {**DEFAULT, **change}
                key = tuple(sorted(config.items()))
                if key not in results:
                    results[key] = run(config, data, args)
                    r = results[key]
                    jaring_part = f"jaring F1 {r['jaring_f1']:.4f} ({r['jaring_s']:.1f} s/epoch)"
                    torch_part = f"torch F1 {r['torch_f1']:.4f} ({r['torch_s']:.1f} s/epoch)"
                    print(f"  {study} / {label}: {jaring_part}, {torch_part}", flush=True)
                rows.append((study, label, results[key]))
    print("\n| study | variant | jaring macro-F1 | PyTorch macro-F1 | jaring s/epoch | PyTorch s/epoch "
          "| ratio |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for study, label, r in rows:
        print(f"| {study} | {label} | {r['jaring_f1']:.4f} | {r['torch_f1']:.4f} | {r['jaring_s']:.2f} | "
              f"{r['torch_s']:.2f} | {r['jaring_s'] / r['torch_s']:.2f}x |")  # fmt: skip


if __name__ == "__main__":
    main()
