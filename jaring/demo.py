"""The `jaring demo` command: train an FFNN on handwritten digits and show what jaring does.

Trains on scikit-learn's bundled 8x8 digits (no download) with a progress bar, prints the
test accuracy and macro-F1, and writes the model (model.jaring), the per-epoch history
(history.json) and a loss-curve PNG (loss_curve.png) into runs/<timestamp>/. With --mnist it
uses MNIST from $JARING_DATA instead (28x28 images; see jaring.data.datasets.MNIST).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from jaring.data.datasets import DatasetNotFoundError, load_digits, load_mnist, train_test_split
from jaring.models import FFNN
from jaring.training import confusion_matrix, macro_f1


def _digits(seed: int) -> tuple:
    x, y = load_digits()
    x /= 16.0  # pixel values 0..16 -> [0, 1]
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, seed=seed, stratify=True)
    return (x_train, y_train), (x_test, y_test), [64, 128, 64, 10], 3e-3, 30


def _mnist() -> tuple:
    try:
        (x_train, y_train), (x_test, y_test) = load_mnist(flatten=True)
    except DatasetNotFoundError as exc:
        raise SystemExit(
            "jaring demo --mnist needs the MNIST files (train-images-idx3-ubyte.gz and the other three) "
            f"in $JARING_DATA/mnist or ~/.cache/jaring/mnist.\n{exc}"
        ) from None
    return (x_train, y_train), (x_test, y_test), [784, 128, 64, 10], 1e-3, 5


def plot_history(history: dict[str, list[float]], path: Path, title: str) -> None:
    """Training (and validation) loss per epoch as a PNG, drawn without a display (Agg)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 4), dpi=100)
    ax = fig.subplots()
    epochs = np.arange(1, len(history["loss"]) + 1)
    ax.plot(epochs, history["loss"], marker="o", label="training loss")
    if "val_loss" in history:
        ax.plot(epochs, history["val_loss"], marker="o", label="validation loss")
    ax.set_xlabel("epoch")
    ax.set_ylabel("cross-entropy")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)


def run(
    mnist: bool = False,
    epochs: int | None = None,
    out_dir: str | Path = "runs",
    name: str | None = None,
    seed: int = 0,
    verbose: int = 1,
) -> dict[str, Any]:
    """Train, evaluate and save; returns the numbers and the paths it wrote."""
    train, test, sizes, lr, default_epochs = _mnist() if mnist else _digits(seed)
    epochs = default_epochs if epochs is None else epochs
    dataset = "MNIST" if mnist else "digits (8x8)"
    (x_train, y_train), (x_test, y_test) = train, test
    x_fit, x_val, y_fit, y_val = train_test_split(x_train, y_train, test_size=0.1, seed=seed, stratify=True)
    model = FFNN(sizes, ["relu", "relu", "softmax"], loss="cce", weight_init="he", seed=seed)
    sizes_text = f"{len(x_fit)} training / {len(x_val)} validation / {len(x_test)} test samples"
    print(f"jaring demo: {dataset}, {sizes_text}")
    print(model)
    start = time.perf_counter()
    history = model.fit(
        x_fit, y_fit, batch_size=32 if not mnist else 64, lr=lr, epochs=epochs, optimizer="adam",
        validation_data=(x_val, y_val), metrics=["accuracy"], verbose=verbose, seed=seed,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    predicted = model.predict_classes(x_test)
    accuracy = float(np.mean(predicted == y_test))
    f1 = macro_f1(y_test, predicted)
    print(f"trained {len(history)} epochs in {seconds:.1f} s")
    print(f"test accuracy: {accuracy:.4f}   macro-F1: {f1:.4f}")
    print("confusion matrix (rows: true digit, columns: predicted):")
    print(confusion_matrix(y_test, predicted))
    folder = Path(out_dir) / (name or time.strftime("demo-%Y%m%d-%H%M%S"))
    folder.mkdir(parents=True, exist_ok=True)
    model_path = model.save(
        folder / "model.jaring", extra_config={"dataset": dataset, "test_accuracy": accuracy}
    )
    plot_path = folder / "loss_curve.png"
    plot_history(history.history, plot_path, f"FFNN {'-'.join(map(str, sizes))} on {dataset}")
    history_path = folder / "history.json"
    history_path.write_text(json.dumps(history.to_dict(), indent=1))
    print(f"wrote {model_path}, {plot_path} and {history_path}")
    return {
        "accuracy": accuracy,
        "macro_f1": f1,
        "seconds": seconds,
        "model": Path(model_path),
        "plot": plot_path,
        "history": history_path,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="jaring demo", description=__doc__.splitlines()[0])
    add_arguments(parser)
    args = parser.parse_args(argv)
    return run_from_args(args)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The demo's command-line options (shared with `jaring demo` in jaring.cli)."""
    parser.add_argument(
        "--mnist", action="store_true", help="train on MNIST from $JARING_DATA instead of digits"
    )
    parser.add_argument("--epochs", type=int, default=None, help="epochs (default: 30 digits, 5 MNIST)")
    parser.add_argument("--out", default="runs", help="folder for the run's files (default: runs)")
    parser.add_argument("--name", default=None, help="subfolder name (default: demo-<timestamp>)")
    parser.add_argument("--seed", type=int, default=0, help="seed for weights, split and batch order")


def run_from_args(args: argparse.Namespace) -> int:
    run(mnist=args.mnist, epochs=args.epochs, out_dir=args.out, name=args.name, seed=args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
