"""The jaring model of one trial, from [model] and the setting's values, and its resolved settings.

A factor overrides a key of [model.args] or of [train]; `resolve` splits a setting's values
between the two. `build_model` makes the ready model (FFNN, CNN, TextClassifier) from those
arguments, or calls the study's own `build(params) -> model` function.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from jaring.experiments.data import StudyData
from jaring.experiments.schema import TRAIN_KEYS, StudyFile
from jaring.models import CNN, FFNN, TextClassifier
from jaring.nn import Module

LAYOUTS = {"FFNN": "flat", "CNN": "image", "TextClassifier": "tokens"}


def resolve(s: StudyFile, params: dict) -> tuple[dict, dict]:
    """(model arguments, training settings) of a setting: the file's values with its factors applied."""
    model_args = dict(s.model["args"])
    train = dict(s.train)
    for name, value in params.items():
        (train if name in TRAIN_KEYS and name not in model_args else model_args)[name] = value
    return model_args, train


def data_layout(s: StudyFile) -> str:
    """How the model wants its inputs: "flat", "image" or "tokens" (build functions: [model.args].layout)."""
    if "ready" in s.model:
        return LAYOUTS[s.model["ready"]]
    return "tokens" if s.data["dataset"] == "nusax_sentiment" else s.model["args"].get("layout", "flat")


def import_function(dotted: str) -> Callable:
    """The function named by "package.module:function"; ImportError/AttributeError say which part is wrong."""
    module_name, _, name = dotted.partition(":")
    module = importlib.import_module(module_name)
    try:
        return getattr(module, name)
    except AttributeError:
        raise AttributeError(f"module {module_name!r} has no function {name!r}") from None


def hidden_sizes(args: dict) -> list[int]:
    """An FFNN's hidden layer sizes: `hidden` as given, or `hidden_layers` copies of `hidden_size`."""
    if "hidden_size" in args or "hidden_layers" in args:
        return [int(args.get("hidden_size", 128))] * int(args.get("hidden_layers", 1))
    return list(args.get("hidden", [128, 64]))


def _ffnn(args: dict, data: StudyData, seed: int) -> FFNN:
    hidden = hidden_sizes(args)
    weight_init, init_kwargs = args.get("weight_init", "he"), args.get("weight_init_kwargs")
    if isinstance(weight_init, dict):  # { name = "normal", variance = 0.01 }
        init_kwargs = {k: v for k, v in weight_init.items() if k != "name"}
        weight_init = weight_init["name"]
    return FFNN(
        [data.input_shape[0], *hidden, data.classes],
        [args.get("activation", "relu")] * len(hidden) + ["softmax"],
        loss="cce",
        weight_init=weight_init,
        weight_init_kwargs=init_kwargs,
        seed=seed,
        rmsnorm=args.get("rmsnorm", False),
        l1=args.get("l1", 0.0),
        l2=args.get("l2", 0.0),
    )


def _cnn(args: dict, data: StudyData, seed: int) -> CNN:
    return CNN(input_shape=data.input_shape, num_classes=data.classes, seed=seed, **args)


def _text(args: dict, data: StudyData, seed: int) -> TextClassifier:
    return TextClassifier(
        vocab_size=data.vocabulary, sequence_length=data.input_shape[0], num_classes=data.classes,
        seed=seed, **args,
    )  # fmt: skip


READY: dict[str, Callable[[dict, StudyData, int], Module]] = {
    "FFNN": _ffnn,
    "CNN": _cnn,
    "TextClassifier": _text,
}


def build_params(model_args: dict, data: StudyData, seed: int) -> dict:
    """What a study's build function receives: [model.args] with the setting applied, plus data facts."""
    return {**model_args, "input_shape": data.input_shape, "classes": data.classes,
            "vocabulary": data.vocabulary, "seed": seed}  # fmt: skip


def build_model(s: StudyFile, model_args: dict, data: StudyData, seed: int) -> Module:
    """The trial's jaring model, with its initial weights drawn from `seed`."""
    if "ready" in s.model:
        return READY[s.model["ready"]](model_args, data, seed)
    return import_function(s.model["build"])(build_params(model_args, data, seed))


def loss_of(s: StudyFile, model: Any, train: dict) -> Any:
    """A ready model's own loss, otherwise [train].loss."""
    return getattr(model, "loss", None) if "ready" in s.model else train["loss"]
