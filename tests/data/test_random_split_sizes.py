"""random_split (jaring/data/dataset.py) with fractions: the split sizes are torch's for every
length and fraction list (floor each, then one more to each part round-robin), and the split is
a partition that a seed or a jaring.Generator reproduces."""

import numpy as np
import pytest

import jaring
from jaring.data import TensorDataset, random_split

torch = pytest.importorskip("torch")
torch_data = pytest.importorskip("torch.utils.data")

FRACTIONS = [[0.8, 0.2], [0.5, 0.5], [1 / 3, 1 / 3, 1 / 3], [0.7, 0.2, 0.1], [0.9, 0.1], [0.25, 0.25, 0.5]]


@pytest.mark.filterwarnings("ignore:Length of split")
@pytest.mark.parametrize("n", [1, 3, 7, 10, 33, 101])
@pytest.mark.parametrize("fractions", FRACTIONS, ids=str)
def test_split_sizes_are_torchs(n, fractions):
    ours = [len(part) for part in random_split(TensorDataset(np.arange(n)), fractions, generator=0)]
    theirs = [len(part) for part in torch_data.random_split(range(n), fractions)]
    assert ours == theirs


def test_the_parts_partition_the_dataset_and_a_generator_repeats_them():
    data = TensorDataset(np.arange(25))
    parts = random_split(data, [0.7, 0.2, 0.1], generator=jaring.Generator().manual_seed(5))
    again = random_split(data, [0.7, 0.2, 0.1], generator=jaring.Generator().manual_seed(5))
    assert sorted(np.concatenate([p.indices for p in parts]).tolist()) == list(range(25))
    assert [p.indices.tolist() for p in parts] == [p.indices.tolist() for p in again]


def test_fractions_that_do_not_sum_to_one_are_a_value_error_as_in_torch():
    with pytest.raises(ValueError):
        torch_data.random_split(range(10), [0.5, 0.6])
    with pytest.raises(ValueError, match="sum to 1"):
        random_split(TensorDataset(np.arange(10)), [0.5, 0.6])
