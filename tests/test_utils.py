"""jaring/utils.py: torch's spelling torch.utils.data reaches jaring.data itself (no copies)."""

import importlib

import numpy as np
import pytest

import jaring
import jaring.data

NAMES = [
    "DataLoader", "Dataset", "TensorDataset", "random_split", "Subset", "ConcatDataset",
    "IterableDataset", "Sampler", "RandomSampler", "SequentialSampler", "BatchSampler",
    "SubsetRandomSampler", "WeightedRandomSampler", "default_collate", "get_worker_info",
]  # fmt: skip


def test_torch_utils_data_is_jaring_data_as_an_attribute_and_as_an_import():
    import jaring.utils.data as imported

    assert jaring.utils.data is jaring.data
    assert imported is jaring.data


@pytest.mark.parametrize("name", NAMES)
def test_every_torch_name_is_the_same_object_as_jaring_datas(name):
    module = importlib.import_module("jaring.utils.data")
    assert getattr(module, name) is getattr(jaring.data, name)


def test_from_import_spellings_and_torch_submodule_paths():
    from jaring.utils.data import DataLoader, TensorDataset, random_split
    from jaring.utils.data.dataloader import DataLoader as FromDataloader
    from jaring.utils.data.dataset import Dataset
    from jaring.utils.data.sampler import Sampler

    assert FromDataloader is DataLoader is jaring.data.DataLoader
    assert Dataset is jaring.data.Dataset and Sampler is jaring.data.Sampler
    train, valid = random_split(TensorDataset(np.arange(10)), [0.8, 0.2], generator=0)
    assert [len(train), len(valid)] == [8, 2]
    assert [len(y) for (y,) in DataLoader(train, batch_size=3)] == [3, 3, 2]


def test_every_name_torch_utils_data_has_here_exists_in_torch_too():
    torch_data = pytest.importorskip("torch.utils.data")
    assert [name for name in NAMES if not hasattr(torch_data, name)] == []
    assert torch_data.get_worker_info() is None and jaring.utils.data.get_worker_info() is None


def test_an_unknown_name_is_still_an_attribute_error():
    with pytest.raises(AttributeError):
        jaring.utils.data.NoSuchLoader  # noqa: B018
