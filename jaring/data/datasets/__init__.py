"""Ready datasets: MNIST, Fashion-MNIST, CIFAR-10, NusaX-Senti and scikit-learn's toy sets.

Files are looked for in `root`, then `$JARING_DATA/<name>`, then `~/.cache/jaring/<name>`;
checksums are verified, and a missing file's error lists every place looked.
"""

from jaring.data.datasets.cifar10 import CIFAR10, UnsafePickleError, load_cifar10
from jaring.data.datasets.files import CorruptDatasetError, DatasetNotFoundError
from jaring.data.datasets.mnist import MNIST, FashionMNIST, load_fashion_mnist, load_mnist
from jaring.data.datasets.nusax import NusaXSentiment, load_nusax_sentiment
from jaring.data.datasets.toy import (
    load_breast_cancer,
    load_digits,
    load_iris,
    load_toy,
    load_wine,
    standardize,
    train_test_split,
)

__all__ = [
    "CIFAR10",
    "MNIST",
    "CorruptDatasetError",
    "DatasetNotFoundError",
    "FashionMNIST",
    "NusaXSentiment",
    "UnsafePickleError",
    "load_breast_cancer",
    "load_cifar10",
    "load_digits",
    "load_fashion_mnist",
    "load_iris",
    "load_mnist",
    "load_nusax_sentiment",
    "load_toy",
    "load_wine",
    "standardize",
    "train_test_split",
]
