"""The gallery: every jaring.viz picture for small trained models, written to one folder (`make gallery`).

python docs/gallery.py [out_dir]      (default docs/gallery)

A script, not part of the library: it trains ready models, which stand on the floor above viz.

Trains, on scikit-learn's 8x8 digits, a feed-forward network, a small CNN (the digits as
8x8 images) and an LSTM (each digit read row by row, 8 steps of 8 pixels), then writes
their network pages and drawings, weight and gradient histograms and training curves, the
activation functions, a computational graph, and a screenshot of the network page taken in
headless Chromium (skipped with a message when no browser is installed).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

import jaring
import jaring.functional as F
import jaring.nn as nn
from jaring.data.datasets import load_digits, train_test_split
from jaring.models import FFNN
from jaring.training import fit
from jaring.viz import (
    draw_graph,
    network,
    plot_activations,
    plot_gradients,
    plot_history,
    plot_network,
    plot_weights,
)
from jaring.viz.browser import INSTALL_HINT, find_browser, screenshot


def _data() -> tuple[np.ndarray, ...]:
    x, y = load_digits()
    return train_test_split((x / 16).astype(np.float32), y, test_size=0.2, seed=0, stratify=True)


def _fresh_gradients(model: Any, x: np.ndarray, y: np.ndarray) -> None:
    """One backward pass on a batch, so the gradient pictures show the trained model's gradients."""
    model.zero_grad()
    outputs = model.logits(jaring.tensor(x)) if hasattr(model, "logits") else model(jaring.tensor(x))
    F.cross_entropy(outputs, jaring.tensor(y)).backward()


def _pictures(name: str, model: Any, history: Any, out: Path, batch: tuple) -> list[Path]:
    _fresh_gradients(model, *batch)
    paths = [out / f"{name}_history.png", out / f"{name}_weights.png", out / f"{name}_gradients.png"]
    plot_history(history, paths[0])
    plot_weights(model, path=paths[1])
    plot_gradients(model, path=paths[2])
    paths.append(network(model, out / f"{name}_network.html", title=f"{name.upper()} on 8x8 digits"))
    paths.append(out / f"{name}_network.png")
    plot_network(model, paths[-1], fold_threshold=32)
    return paths


def _graph(out: Path) -> Path:
    """The graph of one neuron's squared error: small enough to read every value and gradient."""
    neuron = nn.Linear(2, 1, seed=0)
    x = jaring.Tensor([[1.0, -2.0]], name="x")
    loss = ((F.tanh(neuron(x)) - 0.5) ** 2).mean()
    draw_graph(loss, out / "graph.svg", names={"w": neuron.weight, "b": neuron.bias, "loss": loss})
    return out / "graph.svg"


def main(out_dir: str = "docs/gallery") -> list[Path]:
    """Write the gallery into `out_dir`; returns the files written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    x_train, x_test, y_train, y_test = _data()
    batch = (x_train[:64], y_train[:64])
    plot_activations(out / "activations.png")
    written = [out / "activations.png", _graph(out)]
    train = {
        "loss": "cross_entropy",
        "optimizer": "adam",
        "lr": 0.01,
        "epochs": 8,
        "metrics": ["accuracy"],
        "seed": 0,
    }

    start = time.perf_counter()
    ffnn = FFNN([64, 32, 16, 10], ["relu", "relu", "softmax"], seed=0)
    history = ffnn.fit(x_train, y_train, lr=0.05, epochs=20, validation_data=(x_test, y_test),
                       metrics=["accuracy"], seed=0)  # fmt: skip
    written += _pictures("ffnn", ffnn, history, out, batch)
    accuracy = ffnn.evaluate(x_test, y_test)["accuracy"]
    print(f"FFNN: test accuracy {accuracy:.3f} ({time.perf_counter() - start:.1f} s)")

    start = time.perf_counter()
    images = (x_train.reshape(-1, 8, 8, 1), x_test.reshape(-1, 8, 8, 1))
    conv = nn.Conv2D(8, 3, padding="same", activation="relu", seed=0)
    cnn = nn.Sequential(conv, nn.MaxPool2D(2), nn.Flatten(), nn.Dense(10, seed=1))
    cnn.build((None, 8, 8, 1))
    history = fit(cnn, images[0], y_train, validation_data=(images[1], y_test), **train)
    written += _pictures("cnn", cnn, history, out, (images[0][:64], batch[1]))
    print(f"CNN: val_accuracy {history.last('val_accuracy'):.3f} ({time.perf_counter() - start:.1f} s)")

    start = time.perf_counter()
    rows = (x_train.reshape(-1, 8, 8), x_test.reshape(-1, 8, 8))
    lstm = nn.Sequential(nn.LSTM(24, seed=0), nn.Dense(10, seed=1))
    lstm.build((None, 8, 8))
    history = fit(lstm, rows[0], y_train, validation_data=(rows[1], y_test), **train)
    written += _pictures("lstm", lstm, history, out, (rows[0][:64], batch[1]))
    print(f"LSTM: val_accuracy {history.last('val_accuracy'):.3f} ({time.perf_counter() - start:.1f} s)")

    if find_browser() is None:
        print(f"skipped network_screenshot.png: {INSTALL_HINT}")
    else:
        # Click a weight from hidden 1 to hidden 2 so the panel shows its value and gradient.
        written.append(screenshot(out / "ffnn_network.html", out / "network_screenshot.png", edge=(1, 3, 5)))
    for path in written:
        print(f"wrote {path}")
    return written


if __name__ == "__main__":
    main(*sys.argv[1:2])
