"""LayerNorm and RMSNorm layers against torch.nn's with the same (random) weights."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis.extra import numpy as hnp

import jaring
from jaring import nn
from tests.nn.helpers import check_module_gradients, compare_module_with_torch
from tests.oracle import FAST, random_array, st

leading = hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=4)


def _randomise(module, seed):
    """Non-trivial weights, so that the weight and bias paths are really tested."""
    module.load_state_dict({k: random_array(v.shape, seed=seed) for k, v in module.state_dict().items()})
    return module


@FAST
@given(lead=leading, features=st.integers(1, 6), affine=st.booleans())
def test_layer_norm_matches_torch(lead, features, affine):
    ours = _randomise(nn.LayerNorm(features, elementwise_affine=affine), seed=1)
    theirs = torch.nn.LayerNorm(features, elementwise_affine=affine)
    compare_module_with_torch(ours, theirs, random_array((*lead, features), seed=2), dtype=np.float64)


@pytest.mark.parametrize("layer", ["LayerNorm", "RMSNorm"])
def test_float32_matches_torch(layer):
    ours = _randomise(getattr(nn, layer)(16), seed=11)
    theirs = getattr(torch.nn, layer)(16)
    compare_module_with_torch(ours, theirs, random_array((8, 16), seed=12), rtol=1e-4, atol=1e-5)
    assert ours(jaring.ones(2, 16)).dtype == np.float32


def test_layer_norm_two_trailing_dims_and_no_bias():
    ours = _randomise(nn.LayerNorm((3, 4), eps=1e-3, bias=False), seed=3)
    theirs = torch.nn.LayerNorm((3, 4), eps=1e-3, bias=False)
    compare_module_with_torch(ours, theirs, random_array((2, 3, 4), seed=4), rtol=1e-4, atol=1e-4)


@FAST
@given(lead=leading, features=st.integers(1, 6), eps=st.sampled_from([None, 1e-6]))
def test_rms_norm_matches_torch(lead, features, eps):
    ours = _randomise(nn.RMSNorm(features, eps=eps), seed=5)
    theirs = torch.nn.RMSNorm(features, eps=eps)
    compare_module_with_torch(ours, theirs, random_array((*lead, features), seed=6), dtype=np.float64)


def test_gradcheck_float64():
    check_module_gradients(_randomise(nn.LayerNorm(4), seed=7), random_array((3, 4), seed=8))
    check_module_gradients(_randomise(nn.RMSNorm(4, eps=1e-6), seed=9), random_array((2, 2, 4), seed=10))


def test_parameters_and_defaults():
    ln = nn.LayerNorm(5)
    assert [(n, p.shape) for n, p in ln.named_parameters()] == [("weight", (5,)), ("bias", (5,))]
    assert (ln.weight.numpy() == 1).all() and (ln.bias.numpy() == 0).all() and ln.weight.dtype == np.float32
    assert list(nn.LayerNorm(5, elementwise_affine=False).parameters()) == []
    rms = nn.RMSNorm(5)
    assert [n for n, _ in rms.named_parameters()] == ["weight"] and rms.eps is None
    assert list(nn.RMSNorm(5, elementwise_affine=False).parameters()) == []
    assert repr(ln) == "LayerNorm((5,), eps=1e-05, elementwise_affine=True)"


def test_wrong_input_shape_names_layer_and_shapes():
    with pytest.raises(ValueError, match=r"LayerNorm\(\(8,\).*\(\.\.\., 8\), got \(4, 6\)"):
        nn.LayerNorm(8)(jaring.ones(4, 6))
    with pytest.raises(ValueError, match=r"RMSNorm\(\(2, 3\).*\(\.\.\., 2, 3\), got \(3,\)"):
        nn.RMSNorm((2, 3))(jaring.ones(3))
    with pytest.raises(ValueError, match="positive integers"):
        nn.LayerNorm(0)
