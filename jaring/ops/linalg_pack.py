"""Ops with several outputs (slogdet, qr, eigh, svd) as one Function: forward packs its outputs
into one array along the last axis and the caller slices them back out, so the engine, which
knows one output per op, still sums every output's gradient into one backward call."""

from __future__ import annotations

from typing import Any

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.ops.index import getitem
from jaring.ops.shape import reshape


def pack(*arrays: Any, batch: tuple) -> Any:
    """The arrays (each batch + its own trailing shape) flattened and joined along one last axis."""
    xp = backend.array_module(arrays[0])
    return xp.concatenate([a.reshape(batch + (-1,)) for a in arrays], axis=-1)


def _sizes(shapes: list) -> list:
    out = []
    for shape in shapes:
        size = 1
        for n in shape:
            size *= n
        out.append(size)
    return out


def unpack(packed: Any, shapes: list) -> list:
    """pack's inverse on raw arrays (the packed gradient in backward)."""
    batch, out, start = packed.shape[:-1], [], 0
    for shape, size in zip(shapes, _sizes(shapes)):
        out.append(packed[..., start : start + size].reshape(batch + tuple(shape)))
        start += size
    return out


def unpack_tensor(packed: Tensor, shapes: list) -> list:
    """pack's inverse on the packed output Tensor, differentiably (slices, then reshapes)."""
    batch, out, start = packed.shape[:-1], [], 0
    for shape, size in zip(shapes, _sizes(shapes)):
        part = getitem(packed, (Ellipsis, slice(start, start + size)))
        out.append(reshape(part, batch + tuple(shape)))
        start += size
    return out
