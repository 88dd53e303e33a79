"""Allocation budgets: weights past a budget, or past the machine's memory, are refused unallocated."""

import pytest

from jaring import nn
from jaring.allocation import AllocationRefusedError, budget, check_fits_in_memory, physical_memory
from tests.robustness.helpers import peak_memory_below


def test_a_layer_past_the_budget_is_refused_before_allocating():
    with peak_memory_below(2**20), budget(100, "the file holds only 100"):
        nn.Linear(4, 4)  # 20 elements
        with pytest.raises(AllocationRefusedError, match="more than 100 weight elements.*holds only 100"):
            nn.Linear(1000, 1000)


def test_exact_budgets_build_every_kind_of_layer():
    """Each layer counts exactly the elements it saves (or fewer), so a genuine file always loads."""
    layers = [
        nn.Linear(3, 4),
        nn.Linear(3, 4, bias=False),
        nn.Dense(4, input_dim=3),
        nn.Embedding(5, 2, padding_idx=0),
        nn.BatchNorm2D(3),
        nn.BatchNorm2D(3, center=False, scale=False),
        nn.LayerNorm(4),
        nn.LayerNorm(4, bias=False),
        nn.LayerNorm(4, elementwise_affine=False),
        nn.RMSNorm(4),
        nn.Conv2D(2, 3, input_dim=3),
        nn.LSTM(3, input_dim=4),
        nn.GRU(3, input_dim=4),
        nn.SimpleRNN(3, input_dim=4),
    ]
    for layer in layers:
        saved = sum(a.size for a in layer.state_dict().values())
        with budget(saved, "exact"):
            type(layer).from_config(layer.get_config())


def test_the_budget_ends_with_its_block():
    with budget(0, "none"):
        with pytest.raises(AllocationRefusedError):
            nn.Linear(2, 2)
    nn.Linear(2, 2)


def test_arrays_larger_than_the_machine_are_refused():
    memory = physical_memory()
    assert memory is None or memory > 2**20
    with pytest.raises(AllocationRefusedError, match="more than this machine's"):
        check_fits_in_memory((10**7, 10**7), 8, "a test array")
    check_fits_in_memory((10, 10), 8, "a small array")
