"""Data: datasets, samplers, mini-batch loading, collation, transforms and text vectorisation.

from jaring.data import DataLoader, TensorDataset
loader = DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True, seed=0)
"""

from jaring.data import datasets, transforms
from jaring.data.collate import default_collate, default_convert
from jaring.data.concat import ConcatDataset
from jaring.data.dataset import ArrayDataset, Dataset, Subset, TensorDataset, collate, random_split
from jaring.data.iterable import IterableDataset, get_worker_info
from jaring.data.loader import DataLoader
from jaring.data.sampler import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)
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
    "BatchSampler",
    "Compose",
    "ConcatDataset",
    "DataLoader",
    "Dataset",
    "IterableDataset",
    "Lambda",
    "Normalize",
    "RandomHorizontalFlip",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "Subset",
    "SubsetRandomSampler",
    "TensorDataset",
    "TextVectorizer",
    "ToTensor",
    "WeightedRandomSampler",
    "collate",
    "datasets",
    "default_collate",
    "default_convert",
    "get_worker_info",
    "random_split",
    "transforms",
]
