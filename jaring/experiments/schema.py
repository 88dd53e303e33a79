"""The study file language: read one TOML file, check every key and value, return a `StudyFile`.

Nothing trains before the whole file has passed: an unknown section, key, factor, model or
dataset, a value of the wrong type or an empty factor raises one `StudyFileError` that names the
file, the key and what is allowed. The README's "Study files" section documents the schema.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

KINDS = ("oat", "grid", "random", "tpe")
ARMS = ("jaring", "pytorch", "sklearn", "keras")
METRICS = {"test_accuracy": "test accuracy (%)", "test_macro_f1": "test macro-F1"}
READY_MODELS = ("FFNN", "CNN", "TextClassifier")
DATASETS = ("mnist", "fashion_mnist", "cifar10", "nusax_sentiment", "digits")
OPTIMIZERS = ("sgd", "adam", "adamw", "rmsprop", "adagrad", "momentum")
LOSSES = ("cce", "cross_entropy", "nll", "mse")
LANGUAGES = (
    "acehnese", "balinese", "banjarese", "buginese", "english", "indonesian", "javanese",
    "madurese", "minangkabau", "ngaju", "sundanese", "toba_batak",
)  # fmt: skip


class StudyFileError(ValueError):
    """A study file that cannot run; the message names the file, the key and what is allowed.

    Examples:
        >>> from jaring.experiments.schema import StudyFileError, load_study_file
        >>> try:
        ...     load_study_file("missing.toml")
        ... except StudyFileError as error:
        ...     print(error)
        missing.toml: no such study file
    """


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


# A check returns None when the value is fine, else a description of what is allowed.
Check = Callable[[Any], "str | None"]


def positive_int(v: Any) -> str | None:
    return None if _is_int(v) and v >= 1 else "an integer >= 1"


def non_negative_int(v: Any) -> str | None:
    return None if _is_int(v) and v >= 0 else "an integer >= 0"


def positive_number(v: Any) -> str | None:
    return None if _is_number(v) and v > 0 else "a number > 0"


def non_negative_number(v: Any) -> str | None:
    return None if _is_number(v) and v >= 0 else "a number >= 0"


def text(v: Any) -> str | None:
    return None if isinstance(v, str) and v else "a non-empty string"


def boolean(v: Any) -> str | None:
    return None if isinstance(v, bool) else "true or false"


def table(v: Any) -> str | None:
    return None if isinstance(v, dict) else "a table (key = value pairs)"


def one_of(*choices: Any) -> Check:
    return lambda v: None if v in choices else f"one of {list(choices)}"


def int_list(v: Any) -> str | None:
    ok = isinstance(v, list) and v and all(_is_int(x) and x >= 1 for x in v)
    return None if ok else "a non-empty list of integers >= 1"


def int_or_int_list(v: Any) -> str | None:
    return None if positive_int(v) is None or int_list(v) is None else "an integer >= 1 or a list of them"


def fraction_or_given(v: Any) -> str | None:
    ok = v == "given" or (_is_number(v) and 0 <= v < 1)
    return None if ok else 'a fraction in [0, 1) or "given" (the dataset\'s own validation split)'


def seed_list(v: Any) -> str | None:
    ok = isinstance(v, list) and v and all(_is_int(x) and x >= 0 for x in v) and len(set(v)) == len(v)
    return None if ok else "a non-empty list of distinct integers >= 0"


def arm_list(v: Any) -> str | None:
    ok = isinstance(v, list) and v and all(a in ARMS for a in v) and len(set(v)) == len(v)
    return None if ok else f"a non-empty list of distinct arms from {list(ARMS)}"


def optional_number(v: Any) -> str | None:
    return None if v is False or (_is_number(v) and v >= 0) else "a number >= 0, or false for none"


STUDY_KEYS: dict[str, Check] = {
    "name": text, "title": text, "report": text, "kind": one_of(*KINDS),
    "metric": one_of(*METRICS), "seeds": seed_list, "arms": arm_list, "budget": positive_int,
    "top_k": non_negative_int, "sampler_seed": non_negative_int, "pruner": one_of("none", "median"),
    "published_note": text,
}  # fmt: skip
MODEL_KEYS: dict[str, Check] = {"ready": one_of(*READY_MODELS), "build": text, "args": table}
DATA_KEYS: dict[str, Check] = {
    "dataset": one_of(*DATASETS), "train": non_negative_int, "test": non_negative_int,
    "validation": fraction_or_given, "language": one_of(*LANGUAGES), "max_tokens": positive_int,
    "sequence_length": positive_int,
}  # fmt: skip
TRAIN_KEYS: dict[str, Check] = {
    "optimizer": one_of(*OPTIMIZERS), "lr": positive_number, "batch_size": positive_int,
    "epochs": positive_int, "loss": one_of(*LOSSES), "error_threshold": optional_number,
    "log_every": non_negative_int,
}  # fmt: skip
QUICK_KEYS: dict[str, Check] = {
    "train": positive_int, "test": positive_int, "epochs": positive_int, "budget": positive_int,
    "top_k": non_negative_int, "values": positive_int, "seeds": seed_list,
}  # fmt: skip
REPORT_KEYS: dict[str, Check] = {"histogram_layers": lambda v: _histogram_layers(v)}
SECTIONS = ("study", "model", "data", "train", "factors", "baseline", "published", "quick", "report")

# The arguments each ready model takes in [model.args] (and so the factors it can vary).
MODEL_ARGS: dict[str, dict[str, Check]] = {
    "FFNN": {
        "hidden": int_list, "hidden_size": positive_int, "hidden_layers": positive_int,
        "activation": text, "weight_init": lambda v: initializer(v), "weight_init_kwargs": table,
        "rmsnorm": boolean,
        "l1": non_negative_number, "l2": non_negative_number,
    },
    "CNN": {
        "conv_layers": positive_int, "filters": int_or_int_list, "kernel_size": int_or_int_list,
        "pooling": one_of("max", "avg"), "pool_size": positive_int, "dense_units": int_list,
        "activation": text, "padding": one_of("same", "valid"),
    },
    "TextClassifier": {
        "cell": one_of("rnn", "simple_rnn", "lstm", "gru"), "units": int_or_int_list,
        "num_layers": positive_int, "direction": one_of("uni", "bi"), "embedding_dim": positive_int,
        "dropout": lambda v: None if _is_number(v) and 0 <= v < 1 else "a number in [0, 1)",
    },
}  # fmt: skip
ARMS_FOR_MODEL = {
    "FFNN": ("jaring", "pytorch", "sklearn", "keras"),
    "CNN": ("jaring", "pytorch", "keras"),
    "TextClassifier": ("jaring", "pytorch", "keras"),
}
TEXT_DATASETS = ("nusax_sentiment",)


def initializer(v: Any) -> str | None:
    ok = (isinstance(v, str) and v) or (isinstance(v, dict) and isinstance(v.get("name"), str))
    return None if ok else 'an initializer name, or a table such as { name = "normal", variance = 0.01 }'


def _published_value(v: Any) -> bool:
    by_arm = isinstance(v, dict) and bool(v) and all(k in ARMS and _is_number(x) for k, x in v.items())
    return _is_number(v) or by_arm


def _histogram_layers(v: Any) -> str | None:
    ok = v == "all" or (isinstance(v, list) and all(isinstance(x, str) and x for x in v))
    return None if ok else 'a list of layer names (e.g. ["layers.0"]) or "all"'


@dataclass
class StudyFile:
    """A checked study file: its sections as plain dicts, with every default filled in."""

    path: Path
    study: dict[str, Any]
    model: dict[str, Any]
    data: dict[str, Any]
    train: dict[str, Any]
    factors: dict[str, list]
    baseline: dict[str, Any]
    published: dict[str, float]
    quick: dict[str, Any]
    report: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.study["name"]


def _fail(path: Path, key: str, problem: str) -> StudyFileError:
    return StudyFileError(f"{path}: {key}: {problem}")


def _check_table(path: Path, section: str, values: Any, keys: dict[str, Check]) -> dict[str, Any]:
    if not isinstance(values, dict):
        raise _fail(path, f"[{section}]", f"must be a table, got {values!r}")
    for key, value in values.items():
        if key not in keys:
            raise _fail(path, f"{section}.{key}", f"unknown key; allowed keys: {sorted(keys)}")
        problem = keys[key](value)
        if problem is not None:
            raise _fail(path, f"{section}.{key}", f"must be {problem}, got {value!r}")
    return dict(values)


def _model_arg_checks(path: Path, model: dict) -> dict[str, Check] | None:
    """The checks of [model.args] for a ready model; None for a build function (it checks them)."""
    if ("ready" in model) == ("build" in model):
        raise _fail(path, "[model]", 'give exactly one of ready = "FFNN" | "CNN" | "TextClassifier" or '
                    'build = "package.module:function"')  # fmt: skip
    if "build" in model:
        module, _, function = model["build"].partition(":")
        if not module or not function.isidentifier():
            raise _fail(
                path, "model.build", f'must look like "package.module:function", got {model["build"]!r}'
            )
        return None
    return MODEL_ARGS[model["ready"]]


def _check_factors(path: Path, factors: Any, allowed: dict[str, Check | None]) -> dict[str, list]:
    if not isinstance(factors, dict) or not factors:
        raise _fail(path, "[factors]", "needs at least one factor: name = [value, ...]")
    for name, values in factors.items():
        if name not in allowed:
            raise _fail(path, f"factors.{name}", f"unknown factor; a factor must be a key of [model.args] "
                        f"or [train]: {sorted(allowed)}")  # fmt: skip
        if not isinstance(values, list) or not values:
            raise _fail(path, f"factors.{name}", f"must be a non-empty list of values, got {values!r}")
        check = allowed[name]
        for value in values:
            problem = check(value) if check is not None else None
            if problem is not None:
                raise _fail(path, f"factors.{name}", f"every value must be {problem}, got {value!r}")
    return {k: list(v) for k, v in factors.items()}


def _check_values(path: Path, section: str, values: dict, allowed: dict[str, Check | None]) -> None:
    for name, value in values.items():
        if name not in allowed:
            raise _fail(path, f"{section}.{name}", f"unknown key; allowed: {sorted(allowed)}")
        check = allowed[name]
        problem = check(value) if check is not None else None
        if problem is not None:
            raise _fail(path, f"{section}.{name}", f"must be {problem}, got {value!r}")


def _check_kind(path: Path, s: StudyFile) -> None:
    kind = s.study["kind"]
    if kind == "oat":
        missing = sorted(set(s.factors) - set(s.baseline))
        if missing:
            raise _fail(path, "[baseline]", f"one-factor-at-a-time needs a baseline value for every factor; "
                        f"missing: {missing}")  # fmt: skip
    elif s.baseline:
        raise _fail(path, "[baseline]", f'only kind = "oat" takes a baseline, this study is {kind!r}')
    if kind in ("random", "tpe") and "budget" not in s.study:
        raise _fail(path, "study.budget", f"kind {kind!r} needs a budget: how many settings to try")
    if kind in ("oat", "grid") and ("budget" in s.study or s.study.get("top_k")):
        raise _fail(path, "study.budget", f"budget and top_k belong to random/tpe studies, not {kind!r}")
    if s.study.get("pruner", "none") != "none" and kind != "tpe":
        raise _fail(path, "study.pruner", "pruning stops trials depending on the others' order, so it is "
                    'allowed only for kind = "tpe"')  # fmt: skip


def _check_arms(path: Path, s: StudyFile) -> None:
    allowed = ARMS_FOR_MODEL.get(s.model.get("ready", ""), ("jaring", "pytorch", "keras"))
    bad = [a for a in s.study["arms"] if a not in allowed]
    if bad:
        what = s.model.get("ready") or f"build = {s.model['build']!r}"
        raise _fail(path, "study.arms", f"{bad} cannot train {what}; allowed arms: {list(allowed)}")
    is_text = s.data["dataset"] in TEXT_DATASETS
    if is_text != (s.model.get("ready") == "TextClassifier") and "ready" in s.model:
        raise _fail(path, "data.dataset", f"{s.data['dataset']!r} does not fit model {s.model['ready']!r}: "
                    "text datasets go with TextClassifier, images with FFNN/CNN")  # fmt: skip
    if s.data.get("validation") == "given" and not is_text:
        raise _fail(path, "data.validation", f'"given" needs a dataset with a validation split; '
                    f"{s.data['dataset']!r} has none, use a fraction")  # fmt: skip


REQUIRED = {
    "study": ("title", "report", "kind", "metric", "seeds", "arms"),
    "data": ("dataset",),
    "train": ("optimizer", "lr", "batch_size", "epochs"),
}


def load_study_file(path: str | os.PathLike) -> StudyFile:
    """Read and check the study file at `path`; raise StudyFileError on the first problem.

    The StudyFile holds each section as a plain dict, with every default filled in.

    Examples:
        A grid over two learning rates for the ready FFNN on scikit-learn's bundled digits; sections
        may be TOML inline tables before the first `[header]`, as here:

        >>> from pathlib import Path
        >>> from jaring.experiments.schema import load_study_file
        >>> _ = Path("tiny.toml").write_text('''
        ... model = { ready = "FFNN" }
        ... data = { dataset = "digits" }
        ... train = { optimizer = "adam", lr = 0.01, batch_size = 32, epochs = 1 }
        ... factors = { lr = [0.01, 0.1] }
        ... [study]
        ... title = "Tiny"
        ... report = "000"
        ... kind = "grid"
        ... metric = "test_accuracy"
        ... seeds = [0]
        ... arms = ["jaring"]
        ... ''')
        >>> s = load_study_file("tiny.toml")
        >>> s.name, s.factors
        ('tiny', {'lr': [0.01, 0.1]})
        >>> s.train
        {'optimizer': 'adam', 'lr': 0.01, 'batch_size': 32, 'epochs': 1,
         'loss': 'cce', 'error_threshold': False, 'log_every': 0}

        A misspelt key stops the whole file, before anything trains:

        >>> _ = Path("typo.toml").write_text(Path("tiny.toml").read_text().replace("epochs", "epoch"))
        >>> load_study_file("typo.toml")
        Traceback (most recent call last):
        ...
        jaring.experiments.schema.StudyFileError: typo.toml: train.epoch: unknown key; allowed keys: ...
    """
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StudyFileError(f"{path}: no such study file") from None
    except tomllib.TOMLDecodeError as exc:
        raise StudyFileError(f"{path}: not valid TOML: {exc}") from None
    for section in raw:
        if section not in SECTIONS:
            raise _fail(path, f"[{section}]", f"unknown section; allowed sections: {list(SECTIONS)}")
    sections = {k: raw.get(k, {}) for k in SECTIONS}
    study = _check_table(path, "study", sections["study"], STUDY_KEYS)
    model = _check_table(path, "model", sections["model"], MODEL_KEYS)
    data = _check_table(path, "data", sections["data"], DATA_KEYS)
    train = _check_table(path, "train", sections["train"], TRAIN_KEYS)
    quick = _check_table(path, "quick", sections["quick"], QUICK_KEYS)
    report = _check_table(path, "report", sections["report"], REPORT_KEYS)
    for section, keys in REQUIRED.items():
        missing = [k for k in keys if k not in {"study": study, "data": data, "train": train}[section]]
        if missing:
            raise _fail(path, f"[{section}]", f"missing required keys {missing}")
    arg_checks = _model_arg_checks(path, model)
    args = model.setdefault("args", {})
    if arg_checks is not None:
        _check_values(path, "model.args", args, arg_checks)
        allowed: dict[str, Check | None] = {**arg_checks, **TRAIN_KEYS}
    else:
        allowed = {**dict.fromkeys(args), **TRAIN_KEYS}
    factors = _check_factors(path, sections["factors"], allowed)
    baseline = dict(sections["baseline"]) if isinstance(sections["baseline"], dict) else None
    if baseline is None:
        raise _fail(path, "[baseline]", "must be a table of factor = value")
    unknown = sorted(set(baseline) - set(factors))
    if unknown:
        raise _fail(path, "[baseline]", f"{unknown} are not factors; factors: {sorted(factors)}")
    _check_values(path, "baseline", baseline, allowed)
    published = sections["published"]
    if not isinstance(published, dict) or not all(_published_value(v) for v in published.values()):
        raise _fail(path, "[published]", "must map setting labels to numbers, or to tables of a number per "
                    f"arm such as {{ jaring = 95.94, sklearn = 97.83 }}; got {published!r}")  # fmt: skip
    study.setdefault("name", path.stem)
    study.setdefault("top_k", 0)
    study.setdefault("sampler_seed", 0)
    study.setdefault("pruner", "none")
    study.setdefault("published_note", "")
    data.setdefault("train", 0)
    data.setdefault("test", 0)
    data.setdefault("validation", 0.0)
    train.setdefault("loss", "cce")
    train.setdefault("error_threshold", False)
    train.setdefault("log_every", 0)
    report.setdefault("histogram_layers", [])
    result = StudyFile(path, study, model, data, train, factors, baseline, dict(published), quick, report)
    _check_kind(path, result)
    _check_arms(path, result)
    return result
