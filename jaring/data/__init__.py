"""Data: datasets, mini-batch loading, transforms and text vectorisation.

from jaring.data import DataLoader, TensorDataset
loader = DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True, seed=0)
"""

from jaring.data import datasets, transforms
from jaring.data.dataset import ArrayDataset, Dataset, Subset, TensorDataset, collate, random_split
from jaring.data.loader import DataLoader
from jaring.data.text import TextVectorizer
from jaring.data.transforms import (
    AddGaussianNoise,
    Compose,
    Lambda,
    Normalize,
    RandomHorizontalFlip,
    ToTensor,
)

__all__ = [
    "AddGaussianNoise",
    "ArrayDataset",
    "Compose",
    "DataLoader",
    "Dataset",
    "Lambda",
    "Normalize",
    "RandomHorizontalFlip",
    "Subset",
    "TensorDataset",
    "TextVectorizer",
    "ToTensor",
    "collate",
    "datasets",
    "random_split",
    "transforms",
]
