"""Embedding bags: the sum, mean or max of the embeddings of each bag of ids, without building the
(ids, dim) lookup in between as a graph node (torch.nn.functional.embedding_bag, sparse=False).

Bags come as a 2-d (B, N) input, one row per bag, or as a 1-d input cut at `offsets` (bag b is
input[offsets[b]:offsets[b + 1]]). Ids equal to padding_idx are left out of their bag (and of the
mean's count); an empty bag gives zeros. Forward and backward both add rows by bag with the
sparse product of jaring/ops/embedding.py.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.arith import cast
from jaring.ops.common import as_tensor
from jaring.ops.embedding import _sum_rows
from jaring.ops.embedding_options import check_norm, id_counts, renorm_rows

MODES = ("sum", "mean", "max")


def _bag_max(rows: Any, bags: Any, count: int) -> tuple:
    """Per bag and column the largest row value, and the position (into rows) that holds it;
    empty bags get 0 and position -1."""
    xp = backend.array_module(rows)
    out = xp.full((count, rows.shape[1]), -xp.inf, rows.dtype)
    xp.maximum.at(out, bags, rows)
    position = xp.arange(rows.shape[0])[:, None]
    candidates = xp.where(rows == out[bags], position, rows.shape[0])
    first = xp.full(out.shape, rows.shape[0], position.dtype)
    xp.minimum.at(first, bags, candidates)
    empty = first == rows.shape[0]
    out[empty] = 0
    first[empty] = -1
    return out, first


class EmbeddingBagFunction(Function):
    """Reduce weight[ids] by bag. ids and bags (which bag each id is in) are 1-d and padding-free."""

    @staticmethod
    def forward(
        ctx: Context, weight: Any, scale: Any, ids: Any, bags: Any, count: int, mode: str, freq: bool
    ) -> Any:
        ctx.save_for_backward(ids, bags, scale)
        ctx.vocab, ctx.count, ctx.mode, ctx.freq = weight.shape[0], count, mode, freq
        rows = weight[ids]
        if mode == "max":
            out, ctx.first = _bag_max(rows, bags, count)
            return out
        ctx.rows = rows
        return _sum_rows(bags, rows * scale[:, None], count)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        ids, bags, scale = ctx.saved
        xp = backend.array_module(grad)
        grad_scale = None
        if ctx.mode == "max":
            column = xp.broadcast_to(xp.arange(grad.shape[1]), ctx.first.shape)
            kept = ctx.first >= 0
            grad_weight = xp.zeros((ctx.vocab, grad.shape[1]), grad.dtype)
            xp.add.at(grad_weight, (ids[ctx.first[kept]], column[kept]), grad[kept])
        else:
            picked = grad[bags]
            grad_weight = _sum_rows(ids, picked * scale[:, None], ctx.vocab)
            if ctx.needs_input_grad[1]:
                grad_scale = (picked * ctx.rows).sum(axis=1)
        if ctx.freq:
            grad_weight = grad_weight / id_counts(ids, ctx.vocab)[:, None].astype(grad_weight.dtype)
        return grad_weight, grad_scale


def _int_array(what: str, name: str, value: Any) -> Any:
    data = value.data if isinstance(value, Tensor) else value
    data = data if hasattr(data, "dtype") else np.asarray(data)
    if data.dtype.kind not in "iu" and not (data.size == 0 and data.dtype.kind == "f"):
        raise TypeError(f"{what}: {name} must hold integers, got dtype {data.dtype}")
    return data.astype(np.int64, copy=False)


def _bags(what: str, ids: Any, offsets: Any, include_last_offset: bool) -> tuple:
    """(flat ids, bag of each id, number of bags) from a 2-d input or a 1-d input and offsets."""
    xp = backend.array_module(ids)
    if ids.ndim == 2:
        if offsets is not None:
            raise ValueError(
                f"{what}: if input is 2D, then offsets has to be None, as input is treated is a mini-batch "
                "of fixed length sequences"
            )
        count = ids.shape[0]
        return ids.reshape(-1), xp.repeat(xp.arange(count), ids.shape[1]), count
    if ids.ndim != 1:
        raise ValueError(f"{what}: input has to be 1D or 2D Tensor, but got Tensor of dimension {ids.ndim}")
    if offsets is None:
        raise ValueError(f"{what}: offsets has to be a 1D Tensor but got None")
    offsets = _int_array(what, "offsets", offsets)
    if offsets.ndim != 1:
        raise ValueError(f"{what}: offsets has to be a 1D Tensor, got shape {offsets.shape}")
    if include_last_offset and offsets.size < 1:
        raise ValueError(f"{what}: include_last_offset needs at least one offset")
    if offsets.size:
        if int(offsets[0]) != 0:
            raise RuntimeError(
                f"{what}: offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start "
                f"from position 0. However, got {int(offsets[0])}"
            )
        if bool((xp.diff(offsets) < 0).any()) or int(offsets[-1]) > ids.size:
            raise RuntimeError(
                f"{what}: offsets must be non-decreasing and at most {ids.size}, got {offsets.tolist()}"
            )
    count = offsets.size - 1 if include_last_offset else offsets.size
    bags = xp.searchsorted(offsets, xp.arange(ids.size), side="right") - 1
    return ids, bags, count


def embedding_bag(
    input: Any,
    weight: Any,
    offsets: Any = None,
    max_norm: float | None = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    mode: str = "mean",
    sparse: bool = False,
    per_sample_weights: Any = None,
    include_last_offset: bool = False,
    padding_idx: int | None = None,
) -> Tensor:
    """(B, dim): the sum, mean or max of weight's rows over each bag of ids (see the module docstring).

    per_sample_weights (the shape of input, mode="sum" only) weighs each id's row and gets a
    gradient too. max_norm renormalises the rows looked up in place first, as F.embedding does.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> table = jaring.tensor([[1.0, 0.0], [0.0, 1.0], [4.0, 4.0]])
        >>> F.embedding_bag(jaring.tensor([0, 1, 2]), table, jaring.tensor([0, 2])).tolist()  # means
        [[0.5, 0.5], [4.0, 4.0]]
        >>> F.embedding_bag(jaring.tensor([[0, 2]]), table, mode="max").tolist()
        [[4.0, 4.0]]
    """
    what = "embedding_bag"
    if mode not in MODES:
        raise ValueError(f"{what}: mode has to be one of sum, mean or max, got {mode!r}")
    if sparse:
        raise NotImplementedError(f"{what}: sparse gradients are not supported in jaring; use sparse=False")
    max_norm, norm_type = check_norm(what, max_norm, norm_type)
    weight = as_tensor(weight)
    if weight.ndim != 2:
        raise ValueError(
            f"{what}: weight must have shape (num_embeddings, embedding_dim), got {weight.shape}"
        )
    if weight.dtype.kind != "f":
        raise TypeError(f"{what}: weight must be floating point, got dtype {weight.dtype}")
    vocab = weight.shape[0]
    raw = _int_array(what, "input", input)
    ids, bags, count = _bags(what, raw, offsets, include_last_offset)
    if ids.size and (int(ids.min()) < 0 or int(ids.max()) >= vocab):
        bad = int(ids.min()) if int(ids.min()) < 0 else int(ids.max())
        raise IndexError(
            f"{what}: index {bad} is out of range for {vocab} embeddings (ids must lie in [0, {vocab - 1}])"
        )
    xp = backend.array_module(weight.data)
    if per_sample_weights is not None:
        if mode != "sum":
            raise NotImplementedError(
                f"{what}: per_sample_weights was not None. per_sample_weights is only supported for "
                f"mode='sum' (got mode='{mode}')"
            )
        per_sample_weights = as_tensor(per_sample_weights)
        if per_sample_weights.shape != raw.shape:
            raise ValueError(
                f"{what}: per_sample_weights must have the shape of input {raw.shape}, "
                f"got {per_sample_weights.shape}"
            )
        scale = per_sample_weights.reshape(-1)
    else:
        scale = Tensor(xp.ones(ids.size, weight.dtype))
    keep = bags < count
    if padding_idx is not None:
        if isinstance(padding_idx, bool) or not isinstance(padding_idx, (int, np.integer)):
            raise TypeError(f"{what}: padding_idx must be an int or None, got {padding_idx!r}")
        if not -vocab <= padding_idx < vocab:
            raise ValueError(f"{what}: padding_idx {padding_idx} is out of range for {vocab} embeddings")
        keep = keep & (ids != int(padding_idx) % vocab)
    if not bool(keep.all()):
        scale = scale[keep]
        ids, bags = ids[keep], bags[keep]
    if max_norm is not None:
        renorm_rows(weight, ids, max_norm, norm_type)
    if mode == "mean":
        sizes = xp.bincount(bags, minlength=count)[bags]
        scale = scale / Tensor(sizes.astype(weight.dtype))
    scale = cast(scale, weight.dtype) if scale.dtype != weight.dtype else scale
    return EmbeddingBagFunction.apply(
        weight, scale, ids=ids, bags=bags, count=count, mode=mode, freq=bool(scale_grad_by_freq)
    )
