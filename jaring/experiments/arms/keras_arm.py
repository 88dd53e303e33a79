"""The keras arm: train the same network in Keras (torch backend), save .keras, load it into jaring.

The trial's metrics are the loaded jaring model's; beside them it reports Keras's own macro-F1
and accuracy and the largest difference between the two predicted probabilities, which shows
that jaring.io.load_keras computes what Keras computes.
"""

from __future__ import annotations

import os
import time
from typing import Any

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402

from jaring.experiments.arms.common import ArmResult, ArmRun, scores, time_metrics  # noqa: E402
from jaring.experiments.models import build_params, import_function  # noqa: E402
from jaring.io import load_keras  # noqa: E402
from jaring.training import predict  # noqa: E402

CELLS = {"rnn": layers.SimpleRNN, "simple_rnn": layers.SimpleRNN, "lstm": layers.LSTM, "gru": layers.GRU}
POOLS = {"max": layers.MaxPooling2D, "avg": layers.AveragePooling2D}
OPTIMIZERS = {
    "sgd": lambda lr: keras.optimizers.SGD(lr), "momentum": lambda lr: keras.optimizers.SGD(lr, momentum=0.9),
    "adam": lambda lr: keras.optimizers.Adam(lr), "adamw": lambda lr: keras.optimizers.AdamW(lr),
    "rmsprop": lambda lr: keras.optimizers.RMSprop(lr), "adagrad": lambda lr: keras.optimizers.Adagrad(lr),
}  # fmt: skip


def _per_layer(value: Any, n: int) -> list:
    return list(value) if isinstance(value, list) else [value] * n


def cnn_keras(args: dict, params: dict) -> keras.Model:
    """jaring.models.CNN's network in Keras: conv + pooling blocks, Flatten, Dense layers, softmax."""
    filters = args.get("filters", [32, 64])
    n = args.get("conv_layers") or (len(filters) if isinstance(filters, list) else 2)
    stack: list = [keras.Input(tuple(params["input_shape"]))]
    for f, k in zip(_per_layer(filters, n), _per_layer(args.get("kernel_size", 3), n)):
        stack.append(
            layers.Conv2D(
                f, k, padding=args.get("padding", "same"), activation=args.get("activation", "relu")
            )
        )
        stack.append(POOLS[args.get("pooling", "max")](args.get("pool_size", 2)))
    stack.append(layers.Flatten())
    stack += [
        layers.Dense(u, activation=args.get("activation", "relu")) for u in args.get("dense_units", [64])
    ]
    stack.append(layers.Dense(params["classes"], activation="softmax"))
    return keras.Sequential(stack)


def text_keras(args: dict, params: dict) -> keras.Model:
    """jaring.models.TextClassifier's network in Keras: Embedding (masking 0), recurrent, Dropout, Dense."""
    units = args.get("units", 16)
    n = args.get("num_layers") or (len(units) if isinstance(units, list) else 1)
    cell = CELLS[args.get("cell", "lstm")]
    stack: list = [
        keras.Input((params["input_shape"][0],), dtype="int32"),
        layers.Embedding(params["vocabulary"], args.get("embedding_dim", 64), mask_zero=True),
    ]
    for i, u in enumerate(_per_layer(units, n)):
        layer = cell(u, return_sequences=i < n - 1)
        stack.append(layers.Bidirectional(layer) if args.get("direction", "uni") == "bi" else layer)
    stack += [layers.Dropout(args.get("dropout", 0.5)), layers.Dense(params["classes"], activation="softmax")]
    return keras.Sequential(stack)


def keras_model(run: ArmRun) -> keras.Model:
    params = build_params(run.model_args, run.data, run.spec.seed)
    ready = run.study.model.get("ready")
    if ready == "CNN":
        return cnn_keras(run.model_args, params)
    if ready == "TextClassifier":
        return text_keras(run.model_args, params)
    return import_function(run.study.model["build"] + "_keras")(params)


def train(run: ArmRun) -> ArmResult:
    """Train in Keras, load the saved file into jaring, score both on the test subset."""
    d, t = run.data, run.train
    keras.utils.set_random_seed(run.spec.seed)
    model = keras_model(run)
    model.compile(optimizer=OPTIMIZERS[t["optimizer"]](t["lr"]), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])  # fmt: skip
    start = time.perf_counter()
    fitted = model.fit(
        d.x_train, d.y_train, batch_size=t["batch_size"], epochs=t["epochs"], shuffle=True, verbose=0,
        validation_data=None if d.x_val is None else (d.x_val, d.y_val),
    )  # fmt: skip
    seconds = time.perf_counter() - start
    run.folder.mkdir(parents=True, exist_ok=True)
    tmp, path = run.folder / "model.tmp.keras", run.folder / "model.keras"
    model.save(tmp)
    os.replace(tmp, path)
    keras_probs = model.predict(d.x_test, batch_size=500, verbose=0)
    loaded = load_keras(path)
    jaring_probs = predict(loaded, d.x_test)
    ours, theirs = scores(d.y_test, jaring_probs.argmax(1)), scores(d.y_test, keras_probs.argmax(1))
    metrics = {
        **ours,
        **time_metrics(seconds, len(fitted.history["loss"])),
        "jaring_test_macro_f1": ours["test_macro_f1"], "jaring_test_accuracy": ours["test_accuracy"],
        "keras_test_macro_f1": theirs["test_macro_f1"], "keras_test_accuracy": theirs["test_accuracy"],
        "max_prob_diff": float(np.abs(keras_probs - jaring_probs).max()),
        "same_predictions": int((keras_probs.argmax(1) == jaring_probs.argmax(1)).sum()),
    }  # fmt: skip
    history = {"epoch": {k: [float(v) for v in vs] for k, vs in fitted.history.items()}}
    return ArmResult(history, metrics, model=loaded)
