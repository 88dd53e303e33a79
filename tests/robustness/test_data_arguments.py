"""Bad arguments to data loading, text vectorizing, metrics and seeding: clear jaring errors."""

import numpy as np
import pytest

import jaring
from jaring import nn
from jaring.data import DataLoader, TensorDataset
from jaring.data.datasets import MNIST, NusaXSentiment, train_test_split
from jaring.data.text import TextVectorizer
from jaring.models import TextClassifier
from jaring.training import metrics
from tests.robustness.helpers import assert_clear_error

DATA = TensorDataset(np.ones((3, 2), np.float32))
CASES = {
    "DataLoader dataset": (lambda: DataLoader(3), "needs a dataset"),
    "DataLoader batch_size": (lambda: DataLoader(DATA, batch_size=0), "batch_size"),
    "DataLoader batch_size str": (lambda: DataLoader(DATA, batch_size="4"), "batch_size"),
    "DataLoader shuffle": (lambda: DataLoader(DATA, shuffle="no"), "shuffle must be True or False"),
    "DataLoader drop_last": (lambda: DataLoader(DATA, drop_last="yes"), "drop_last must be True or False"),
    "DataLoader transform": (lambda: DataLoader(DATA, transform=3), "transform must be a function"),
    "DataLoader seed": (lambda: DataLoader(DATA, seed="x"), "seed must be"),
    "DataLoader empty": (lambda: DataLoader(TensorDataset(np.ones((0, 2)))), "empty"),
    "TensorDataset none": (lambda: TensorDataset(), "at least one array"),
    "TensorDataset str": (lambda: TensorDataset(np.array(["a", "b"])), "numbers"),
    "TensorDataset scalar": (lambda: TensorDataset(np.float32(3)), "sample axis"),
    "TensorDataset lengths": (lambda: TensorDataset(np.ones((3, 2)), np.ones(4)), "same first dimension"),
    "split size": (lambda: train_test_split(np.ones((5, 2)), np.ones(5), test_size=2.0), "test_size"),
    "split count": (lambda: train_test_split(np.ones((5, 2)), np.ones(5), test_size=10), "test_size"),
    "split seed": (lambda: train_test_split(np.ones((5, 2)), np.ones(5), seed="a"), "seed must be"),
    "split lengths": (lambda: train_test_split(np.ones((5, 2)), np.ones(4)), "5 samples but y has 4"),
    "MNIST root": (lambda: MNIST(root=3), "root must be a folder path"),
    "NusaX language": (lambda: NusaXSentiment(language="klingon"), "unknown language 'klingon'"),
    "NusaX split": (lambda: NusaXSentiment(split="dev"), "unknown split 'dev'"),
    "NusaX root": (lambda: NusaXSentiment(root=3.5), "root must be a folder path"),
    "TextVectorizer max_tokens": (lambda: TextVectorizer(max_tokens="a"), "max_tokens"),
    "TextVectorizer length": (lambda: TextVectorizer(output_sequence_length=-1), "output_sequence_length"),
    "TextVectorizer adapt int": (lambda: TextVectorizer().adapt(3), "expects a list of str"),
    "TextVectorizer adapt str": (lambda: TextVectorizer().adapt("one text"), "expects a list of str"),
    "TextVectorizer adapt ints": (lambda: TextVectorizer().adapt([1, 2]), "expects a list of str"),
    "TextVectorizer unadapted": (lambda: TextVectorizer()(["a b"]), "call adapt"),
    "TextClassifier ids shape": (lambda: TextClassifier().predict([1, 2]), "token ids of shape"),
    "TextClassifier labels": (lambda: TextClassifier().fit(["a b", "c"], [0, 5]), "labels must be in"),
    "TextClassifier lengths": (lambda: TextClassifier().fit(["a b", "c"], [0]), "2 samples but y has 1"),
    "TextClassifier str labels": (lambda: TextClassifier().fit(["a b", "c"], ["pos", "neg"]), "numbers"),
    "accuracy lengths": (lambda: metrics.accuracy([0, 1], [0]), "2 samples but y_pred has 1"),
    "accuracy strings": (lambda: metrics.accuracy(["a"], ["b"]), "numeric labels"),
    "accuracy empty": (lambda: metrics.accuracy([], []), "empty"),
    "accuracy 3d": (lambda: metrics.accuracy(np.ones((2, 2, 2)), np.ones((2, 2, 2))), "shape"),
    "confusion labels": (lambda: metrics.confusion_matrix([0, 1], [0, 1], labels=[0, 0]), "distinct"),
    "metric name": (lambda: metrics.get_metric("nope"), "unknown metric"),
    "manual_seed str": (lambda: jaring.manual_seed("a"), "integer >= 0"),
    "manual_seed negative": (lambda: jaring.manual_seed(-1), "integer >= 0"),
    "manual_seed float": (lambda: jaring.manual_seed(1.5), "integer >= 0"),
    "default dtype": (lambda: jaring.set_default_dtype(np.int32), "floating"),
    "Linear on strings": (lambda: nn.Linear(2, 2)("ab"), "numbers or booleans"),
    "Sequential int": (lambda: nn.Sequential(3), "holds Modules"),
    "Sequential function": (lambda: nn.Sequential(print), "holds Modules"),
    "LeakyReLU slope": (lambda: nn.LeakyReLU("a"), "negative_slope must be a number"),
    "ELU alpha": (lambda: nn.ELU(alpha="a"), "alpha must be a number"),
    "ELU alpha nan": (lambda: nn.ELU(alpha=float("nan")), "alpha must be a finite"),
    "Softplus beta": (lambda: nn.Softplus(beta=0), "beta must be in"),
    "GELU approximate": (lambda: nn.GELU("fast"), "approximate"),
    "Module.to int dtype": (lambda: nn.Linear(2, 2).to(np.int32), "floating-point dtype"),
    "Flatten 1d": (lambda: nn.Flatten()(jaring.ones(3)), "cannot flatten"),
    "MaxPool 3d input": (lambda: nn.MaxPool2D(2)(jaring.ones(3, 4, 4)), "expected input of shape"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_data_and_utility_arguments(name):
    fn, message = CASES[name]
    assert_clear_error(fn, message, (ValueError, TypeError, RuntimeError))
