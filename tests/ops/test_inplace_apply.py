"""Tensor.apply_ and Tensor.map_ against torch 2.13: values, dtype kept, version counter, refusals."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import jaring


@pytest.mark.parametrize(
    ("values", "fn"),
    [
        ([1.0, -2.0, 3.5], lambda v: v * v + 1),
        ([[1, 2], [3, 4]], lambda v: v * 10 - 3),
        ([[1.5, 2.5]], round),
    ],
)
def test_apply_matches_torch(values, fn):
    j, t = jaring.tensor(values), torch.tensor(values)
    before = j._version
    assert j.apply_(fn) is j
    t.apply_(fn)
    assert j.tolist() == t.tolist()
    assert str(t.dtype) == f"torch.{j.dtype}"
    assert j._version == before + 1


def test_apply_writes_through_shared_memory():
    array = np.array([1.0, 2.0], dtype=np.float32)
    jaring.from_numpy(array).apply_(lambda v: -v)
    assert array.tolist() == [-1.0, -2.0]


def test_apply_on_a_view_changes_the_base():
    base = jaring.zeros(2, 3)
    base[0].apply_(lambda v: v + 7)
    t = torch.zeros(2, 3)
    t[0].apply_(lambda v: v + 7)
    assert base.tolist() == t.tolist()


def test_map_matches_torch():
    j, t = jaring.ones(2, 3), torch.ones(2, 3)
    j.map_(jaring.tensor([1.0, 2.0, 3.0]), lambda a, b: a * 2 + b)
    t.map_(torch.tensor([1.0, 2.0, 3.0]), lambda a, b: a * 2 + b)
    assert j.tolist() == t.tolist()


def test_map_refuses_a_shape_that_does_not_broadcast():
    with pytest.raises(RuntimeError):
        torch.ones(3).map_(torch.ones(2, 3), lambda a, b: a)
    with pytest.raises(RuntimeError, match="cannot be broadcast"):
        jaring.ones(3).map_(jaring.ones(2, 3), lambda a, b: a)


@pytest.mark.parametrize("name", ["apply_", "map_"])
def test_refused_when_requiring_grad_as_torch(name):
    args = (lambda a: a,) if name == "apply_" else (torch.ones(2), lambda a, b: a)
    with pytest.raises(RuntimeError, match="requires grad"):
        getattr(torch.ones(2, requires_grad=True), name)(*args)
    jargs = (lambda a: a,) if name == "apply_" else (jaring.ones(2), lambda a, b: a)
    leaf = jaring.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="requires grad"):
        getattr(leaf, name)(*jargs)
    with pytest.raises(RuntimeError, match="requires grad"):
        getattr(leaf * 2, name)(*jargs)
    detached = leaf.detach()
    getattr(detached, name)(*jargs)


def test_apply_needs_a_callable():
    with pytest.raises(TypeError, match="callable"):
        jaring.ones(2).apply_(3)
