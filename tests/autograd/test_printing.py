"""jaring.set_printoptions changes how tensors print, as torch.set_printoptions does."""

import numpy as np
import pytest

import jaring


@pytest.fixture(autouse=True)
def _restore():
    yield
    jaring.set_printoptions(profile="default")


def test_the_default_look_is_unchanged():
    assert repr(jaring.tensor([1 / 3, 2.0])) == "tensor([0.3333, 2.    ])"


def test_precision_and_sci_mode():
    jaring.set_printoptions(precision=2)
    assert repr(jaring.tensor([1 / 3, 2 / 3])) == "tensor([0.33, 0.67])"
    jaring.set_printoptions(sci_mode=True)
    assert repr(jaring.tensor([1 / 3])) == "tensor([3.33e-01])"
    jaring.set_printoptions(sci_mode=False)
    assert "e" not in repr(jaring.tensor([1e-5, 1.0])).removeprefix("tensor")


def test_threshold_edgeitems_and_profiles():
    long = jaring.tensor(np.arange(100, dtype=np.float32))
    jaring.set_printoptions(threshold=10, edgeitems=2)
    assert repr(long) == "tensor([ 0.,  1., ..., 98., 99.])"
    jaring.set_printoptions(profile="full")
    assert "..." not in repr(jaring.tensor(np.arange(2000.0)))
    assert jaring.get_printoptions()["threshold"] == float("inf")
    jaring.set_printoptions(profile="short")
    assert jaring.get_printoptions()["precision"] == 2


def test_linewidth_wraps():
    jaring.set_printoptions(linewidth=20)
    lines = repr(jaring.tensor(np.arange(12, dtype=np.float32))).splitlines()
    assert len(lines) > 1 and max(len(line) for line in lines) <= 20


@pytest.mark.parametrize(
    "kwargs", [{"precision": -1}, {"threshold": 1.5}, {"edgeitems": 0}, {"profile": "long"}, {"sci_mode": 1}]
)
def test_bad_options_are_refused(kwargs):
    with pytest.raises(ValueError, match="set_printoptions"):
        jaring.set_printoptions(**kwargs)
