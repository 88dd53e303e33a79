"""Models the ready ones cannot express, named by study files as `build = "jaring.experiments.builders:..."`.

Each `build(params) -> model` receives [model.args] with the setting applied, plus "input_shape",
"classes", "vocabulary" and "seed". A `<name>_keras(params)` beside it builds the same network in
Keras for the keras arm.
"""

from __future__ import annotations

from typing import Any

from jaring import nn
from jaring.experiments.models import hidden_sizes
from jaring.random import get_rng


def softmax_ffnn(params: dict) -> nn.Sequential:
    """Report 004's FFNN: `softmax = true` puts a softmax layer before a cross-entropy on logits.

    That applies softmax twice (the report's mistake, reproduced on purpose): the network ends in
    Softmax followed by an Identity, so the loss sees probabilities where it expects logits.
    Without it the network ends in its last Linear layer, and the loss gets true logits.
    """
    rng = get_rng(params["seed"])
    sizes = [params["input_shape"][0], *hidden_sizes(params)]
    layers: list[nn.Module] = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(n_in, n_out, seed=rng), nn.get_activation(params.get("activation", "relu"))]
    layers.append(nn.Linear(sizes[-1], params["classes"], seed=rng))
    if params.get("softmax", False):
        layers += [nn.Softmax(), nn.Identity()]
    return nn.Sequential(*layers)


SIX_CONV = (64, 64, "pool", 128, 128, "pool", 256, 256, "pool")


def six_conv(params: dict) -> nn.Sequential:
    """Report 002's six-conv CNN: (conv, conv, max-pool) x 3 with 64/128/256 filters, Dense 512, softmax."""
    rng = get_rng(params["seed"])
    height, width, channels = params["input_shape"]
    layers: list[nn.Module] = []
    for item in SIX_CONV:
        if item == "pool":
            layers.append(nn.MaxPool2D(2))
            height, width = height // 2, width // 2
        else:
            layers.append(nn.Conv2D(item, 3, padding="same", activation="relu", input_dim=channels, seed=rng))
            channels = item
    layers += [
        nn.Flatten(),
        nn.Dense(
            params.get("dense_units", 512), activation="relu", input_dim=height * width * channels, seed=rng
        ),
        nn.Dense(params["classes"], activation="softmax", input_dim=params.get("dense_units", 512), seed=rng),
    ]
    return nn.Sequential(*layers)


def six_conv_keras(params: dict) -> Any:
    """The same six-conv network in Keras (for the keras arm)."""
    import keras
    from keras import layers

    stack: list = [keras.Input(tuple(params["input_shape"]))]
    for item in SIX_CONV:
        stack.append(
            layers.MaxPooling2D(2)
            if item == "pool"
            else layers.Conv2D(item, 3, padding="same", activation="relu")
        )
    stack += [
        layers.Flatten(),
        layers.Dense(params.get("dense_units", 512), activation="relu"),
        layers.Dense(params["classes"], activation="softmax"),
    ]
    return keras.Sequential(stack)
