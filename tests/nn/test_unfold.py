"""nn.Unfold and nn.Fold against torch.nn's, and saving."""

import numpy as np
import pytest
import torch

import jaring
from jaring import nn
from jaring.io import load, save
from tests.nn.helpers import compare_module_with_torch
from tests.oracle import random_array


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(2, 3, 6, 5), (1, 1, 4, 4), (3, 5, 6)])
@pytest.mark.parametrize(
    "args", [dict(kernel_size=2), dict(kernel_size=(3, 2), padding=1, stride=(2, 1), dilation=(1, 2))]
)
def test_unfold_matches_torch(args, shape, dtype):
    tol = 1e-6 if dtype == np.float32 else 1e-12
    compare_module_with_torch(
        nn.Unfold(**args), torch.nn.Unfold(**args), random_array(shape, 1), tol, tol, dtype
    )


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(2, 12, 9), (1, 12, 9), (12, 9)])
def test_fold_matches_torch(shape, dtype):
    args = dict(output_size=(4, 5), kernel_size=(2, 3), padding=(1, 0), stride=(2, 1))
    tol = 1e-6 if dtype == np.float32 else 1e-12
    compare_module_with_torch(nn.Fold(**args), torch.nn.Fold(**args), random_array(shape, 2), tol, tol, dtype)


def test_torch_state_dict_loads_and_save_round_trip(tmp_path):
    model = nn.Sequential(nn.Unfold(3, padding=1), nn.Fold((5, 4), 3, padding=1))
    model[0].load_state_dict(torch.nn.Unfold(3, padding=1).state_dict())
    reloaded = load(save(model, tmp_path / "model"))
    assert [type(m).__name__ for m in reloaded] == ["Unfold", "Fold"]
    assert reloaded[1].output_size in ((5, 4), [5, 4])
    x = jaring.tensor(random_array((2, 3, 5, 4), 3))
    np.testing.assert_array_equal(reloaded(x).numpy(), model(x).numpy())
