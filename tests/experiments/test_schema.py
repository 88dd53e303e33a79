"""Study files: a good one loads with its defaults; every kind of bad one fails before training."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jaring.experiments.schema import StudyFileError, load_study_file

GOOD = """
[study]
title = "t"
report = "003"
kind = "grid"
metric = "test_accuracy"
seeds = [0]
arms = ["jaring"]

[model]
ready = "FFNN"
args = { activation = "relu" }

[data]
dataset = "mnist"
train = 100

[train]
optimizer = "sgd"
lr = 0.01
batch_size = 32
epochs = 1

[factors]
hidden = [[16], [32]]
"""


def write(tmp_path: Path, text: str, name: str = "s.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_good_file_loads_with_defaults(tmp_path):
    s = load_study_file(write(tmp_path, GOOD, "my_study.toml"))
    assert s.name == "my_study"
    assert s.factors == {"hidden": [[16], [32]]}
    assert s.train["loss"] == "cce" and s.train["error_threshold"] is False and s.train["log_every"] == 0
    assert s.data["validation"] == 0.0 and s.report["histogram_layers"] == []


BAD = [
    # (replace this, with that, the key the message must name, a word of what is allowed)
    ('kind = "grid"', 'kind = "bayes"', "study.kind", "oat"),
    ("seeds = [0]", "seeds = []", "study.seeds", "non-empty"),
    ("seeds = [0]", "seeds = [0, 0]", "study.seeds", "distinct"),
    ("seeds = [0]", 'seeds = "0"', "study.seeds", "list"),
    ('arms = ["jaring"]', 'arms = ["tensorflow"]', "study.arms", "pytorch"),
    ('metric = "test_accuracy"', 'metric = "f1"', "study.metric", "test_macro_f1"),
    ('report = "003"', 'report = "003"\ncolour = "red"', "study.colour", "allowed keys"),
    ('ready = "FFNN"', 'ready = "ResNet"', "model.ready", "TextClassifier"),
    ('ready = "FFNN"', 'ready = "FFNN"\nbuild = "a.b:c"', "[model]", "exactly one"),
    ('ready = "FFNN"', 'build = "no_colon"', "model.build", "package.module:function"),
    (
        'args = { activation = "relu" }',
        'args = { activation = "relu", depth = 3 }',
        "model.args.depth",
        "hidden",
    ),
    ('args = { activation = "relu" }', 'args = { rmsnorm = "yes" }', "model.args.rmsnorm", "true or false"),
    ('dataset = "mnist"', 'dataset = "imagenet"', "data.dataset", "fashion_mnist"),
    ("train = 100", "train = -5", "data.train", ">= 0"),
    ("train = 100", "train = 100\nvalidation = 1.5", "data.validation", "fraction"),
    ("train = 100", 'train = 100\nvalidation = "given"', "data.validation", "validation split"),
    ('dataset = "mnist"', 'dataset = "nusax_sentiment"', "data.dataset", "TextClassifier"),
    ("lr = 0.01", 'lr = "fast"', "train.lr", "number > 0"),
    ("lr = 0.01", "lr = 0", "train.lr", "number > 0"),
    ("batch_size = 32", "batch_size = 3.5", "train.batch_size", "integer >= 1"),
    ("epochs = 1", "epochs = true", "train.epochs", "integer >= 1"),
    ('optimizer = "sgd"', 'optimizer = "lbfgs"', "train.optimizer", "adam"),
    ("epochs = 1", "epochs = 1\nshuffle = false", "train.shuffle", "allowed keys"),
    ("epochs = 1", "", "[train]", "epochs"),
    ("hidden = [[16], [32]]", "hidden = []", "factors.hidden", "non-empty"),
    ("hidden = [[16], [32]]", "width = [16, 32]", "factors.width", "[model.args] or [train]"),
    ("hidden = [[16], [32]]", "hidden = [[16], [0]]", "factors.hidden", "integers >= 1"),
    ("hidden = [[16], [32]]", 'lr = [0.1, "big"]', "factors.lr", "number > 0"),
    ("hidden = [[16], [32]]", "", "[factors]", "at least one factor"),
    ("[factors]", "[baseline]\nhidden = [16]\n[factors]", "[baseline]", 'only kind = "oat"'),
    ('kind = "grid"', 'kind = "oat"', "[baseline]", "missing"),
    ('kind = "grid"', 'kind = "random"', "study.budget", "needs a budget"),
    ('kind = "grid"', 'kind = "grid"\nbudget = 3', "study.budget", "random/tpe"),
    ('kind = "grid"', 'kind = "random"\nbudget = 3\npruner = "median"', "study.pruner", "tpe"),
    ('arms = ["jaring"]', 'arms = ["jaring"]\n[quick]\nepochs = 0', "quick.epochs", "integer >= 1"),
    ("[study]", "[plots]\nx = 1\n[study]", "[plots]", "allowed sections"),
    ('arms = ["jaring"]', 'arms = ["jaring"]\n[published]\nrelu = "high"', "[published]", "numbers"),
    (
        'arms = ["jaring"]',
        'arms = ["jaring"]\n[report]\nhistogram_layers = 3',
        "report.histogram_layers",
        "all",
    ),
]


@pytest.mark.parametrize(("old", "new", "key", "allowed"), BAD, ids=[b[2] + ":" + b[1][:24] for b in BAD])
def test_a_bad_file_names_the_file_the_key_and_what_is_allowed(tmp_path, old, new, key, allowed):
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(StudyFileError) as info:
        load_study_file(path)
    message = str(info.value)
    assert str(path) in message and key in message and allowed in message, message


def test_text_datasets_refuse_an_image_model_and_sklearn_refuses_a_cnn(tmp_path):
    cnn = GOOD.replace('ready = "FFNN"', 'ready = "CNN"').replace('args = { activation = "relu" }', "")
    cnn = cnn.replace('arms = ["jaring"]', 'arms = ["jaring", "sklearn"]').replace(
        "hidden = [[16], [32]]", "filters = [8]"
    )
    with pytest.raises(StudyFileError, match=re.escape("['sklearn'] cannot train CNN")):
        load_study_file(write(tmp_path, cnn))


def test_not_toml_and_missing_file(tmp_path):
    with pytest.raises(StudyFileError, match="not valid TOML"):
        load_study_file(write(tmp_path, "[study\n"))
    with pytest.raises(StudyFileError, match="no such study file"):
        load_study_file(tmp_path / "absent.toml")
