"""jaring.testing against torch.testing 2.13: the same verdicts, tolerances and message."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import jaring
from jaring.testing import assert_close, make_tensor


def _torch_verdict(a, e, **kw):
    try:
        torch.testing.assert_close(a, e, **kw)
        return True
    except AssertionError:
        return False


def _jaring_verdict(a, e, **kw):
    try:
        assert_close(a, e, **kw)
        return True
    except AssertionError:
        return False


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("scale", [0.0, 1e-8, 5e-7, 2e-6, 9e-6, 2e-5, 5e-4, 2e-3])
def test_default_tolerances_match_torch(dtype, scale):
    base = np.array([0.0, 1.0, -3.0, 100.0], dtype=dtype)
    moved = (base.astype(np.float64) + scale * (1 + np.abs(base))).astype(dtype)
    expected = _torch_verdict(torch.tensor(moved), torch.tensor(base))
    assert _jaring_verdict(jaring.tensor(moved), jaring.tensor(base)) == expected


def test_integers_are_exact_and_dtype_is_checked():
    assert not _jaring_verdict(jaring.tensor([1, 2]), jaring.tensor([1, 3]))
    assert_close(jaring.tensor([1, 2]), jaring.tensor([1, 2]))
    with pytest.raises(AssertionError, match="dtype"):
        assert_close(jaring.tensor([1.0]), jaring.tensor([1.0], dtype=jaring.float64))
    assert_close(jaring.tensor([1.0]), jaring.tensor([1.0], dtype=jaring.float64), check_dtype=False)


def test_message_names_count_and_greatest_difference_as_torch():
    a, e = [1.0, 2.0, 3.0, 4.0], [1.0, 2.5, 3.0, 4.1]
    with pytest.raises(AssertionError) as theirs:
        torch.testing.assert_close(torch.tensor(a), torch.tensor(e))
    with pytest.raises(AssertionError) as ours:
        assert_close(jaring.tensor(a), jaring.tensor(e))
    text = str(ours.value)
    assert text.splitlines()[:3] == str(theirs.value).splitlines()[:3]
    assert "Mismatched elements: 2 / 4 (50.0%)" in text
    assert "Greatest absolute difference: 0.5 at index (1,)" in text


def test_explicit_tolerances_and_nan():
    assert_close(jaring.tensor([1.0]), jaring.tensor([1.05]), rtol=0.0, atol=0.1)
    with pytest.raises(AssertionError):
        assert_close(jaring.tensor([float("nan")]), jaring.tensor([float("nan")]))
    assert_close(jaring.tensor([float("nan"), 1.0]), jaring.tensor([float("nan"), 1.0]), equal_nan=True)
    assert_close(jaring.tensor([float("inf")]), jaring.tensor([float("inf")]))
    with pytest.raises(ValueError, match="Both 'rtol' and 'atol'"):
        assert_close(jaring.tensor([1.0]), jaring.tensor([1.0]), rtol=1e-3)


def test_shapes_must_match():
    with pytest.raises(AssertionError, match="shape"):
        assert_close(jaring.zeros(2, 1), jaring.zeros(2))


def test_containers_arrays_and_numbers():
    actual = {"w": [jaring.tensor([1.0, 2.0]), np.float64(3.0)], "n": (1, 2.5)}
    assert_close(actual, {"w": [jaring.tensor([1.0, 2.0]), np.float64(3.0)], "n": (1, 2.5)})
    with pytest.raises(AssertionError, match=r"item \['w'\]\[1\]"):
        assert_close(actual, {"w": [jaring.tensor([1.0, 2.0]), np.float64(3.5)], "n": (1, 2.5)})
    with pytest.raises(AssertionError, match="length"):
        assert_close([1, 2], [1, 2, 3])
    with pytest.raises(AssertionError, match="keys"):
        assert_close({"a": 1}, {"b": 1})
    assert_close(np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-9]))
    with pytest.raises(TypeError, match="cannot compare"):
        assert_close("a", "a")


def test_msg_replaces_the_message():
    with pytest.raises(AssertionError, match="^custom$"):
        assert_close(jaring.tensor([1.0]), jaring.tensor([2.0]), msg="custom")


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int32", "uint8", "bool"])
def test_make_tensor(dtype):
    x = make_tensor(3, 4, dtype=getattr(jaring, dtype))
    assert x.shape == (3, 4) and x.dtype == np.dtype(dtype)
    if dtype != "bool":
        low = 0 if dtype == "uint8" else -9
        assert (x.numpy() >= low).all() and (x.numpy() <= 9).all()
    y = make_tensor((2,), dtype=jaring.float32, low=1.0, high=2.0, requires_grad=True)
    assert y.requires_grad and ((y.numpy() >= 1) & (y.numpy() < 2)).all()


def test_make_tensor_repeats_under_manual_seed_and_checks():
    jaring.manual_seed(3)
    first = make_tensor(5, dtype=jaring.float32).tolist()
    jaring.manual_seed(3)
    assert make_tensor(5, dtype=jaring.float32).tolist() == first
    with pytest.raises(ValueError, match="requires_grad"):
        make_tensor(2, dtype=jaring.int64, requires_grad=True)
    with pytest.raises(ValueError, match="low"):
        make_tensor(2, dtype=jaring.float32, low=2.0, high=1.0)


def test_reachable_as_jaring_testing():
    assert jaring.testing.assert_close is assert_close
