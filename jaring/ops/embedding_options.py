"""torch's embedding options on top of the plain lookup (jaring/ops/embedding.py): max_norm, which
renormalises the looked-up rows of the table in place, and scale_grad_by_freq, which divides each
row's gradient by how often its id occurs in the batch. EmbeddingBag shares both.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor
from jaring.ops.embedding import EmbeddingFunction
from jaring.ops.embedding import embedding as plain_embedding


def check_norm(what: str, max_norm: Any, norm_type: Any) -> tuple:
    """(max_norm, norm_type) as floats (max_norm may be None), or a clear error."""
    for name, value in (("max_norm", max_norm), ("norm_type", norm_type)):
        if value is None and name == "max_norm":
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise TypeError(f"{what}: {name} must be a number, got {value!r}")
    if max_norm is not None and max_norm < 0:
        raise ValueError(f"{what}: max_norm must be >= 0, got {max_norm}")
    return (None if max_norm is None else float(max_norm)), float(norm_type)


def renorm_rows(weight: Tensor, ids: Any, max_norm: float, norm_type: float) -> None:
    """Scale, in place and outside the graph, every row of `weight` picked by `ids` whose
    norm_type-norm exceeds max_norm down to max_norm (torch's embedding_renorm_, with its 1e-7)."""
    xp = backend.array_module(weight.data)
    rows = xp.unique(ids.reshape(-1))
    if not rows.size:
        return
    picked = weight.data[rows]
    if norm_type == np.inf:
        norms = xp.abs(picked).max(axis=1)
    else:
        norms = (xp.abs(picked) ** norm_type).sum(axis=1) ** (1.0 / norm_type)
    over = norms > max_norm
    scale = xp.where(over, max_norm / (norms + 1e-7), 1.0).astype(picked.dtype)
    if not weight.data.flags.writeable:
        weight.data = weight.data.copy()
    weight.data[rows] = picked * scale[:, None]


def id_counts(ids: Any, vocab: int) -> Any:
    """How often each id occurs, (vocab,), at least 1 so it can divide."""
    xp = backend.array_module(ids)
    return xp.maximum(xp.bincount(ids.reshape(-1), minlength=vocab), 1)


class FrequencyScaledEmbedding(Function):
    """weight[ids] whose row gradients are divided by the count of their id (scale_grad_by_freq)."""

    @staticmethod
    def forward(ctx: Context, weight: Any, ids: Any, padding_idx: int | None = None) -> Any:
        ctx.counts = id_counts(ids, weight.shape[0])
        return EmbeddingFunction.forward(ctx, weight, ids, padding_idx=padding_idx)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        out, _ = EmbeddingFunction.backward(ctx, grad)
        return out / ctx.counts[:, None].astype(out.dtype), None


def embedding(
    input: Any,
    weight: Any,
    padding_idx: int | None = None,
    max_norm: float | None = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
) -> Tensor:
    """Look up rows of `weight` (vocab_size, dim) for integer ids of any shape: (*input.shape, dim).

    padding_idx: that row gets no gradient. max_norm: the rows looked up are first renormalised
    in place so that their norm_type-norm is at most max_norm. scale_grad_by_freq: each row's
    gradient is divided by how often its id occurs in `input`. sparse gradients are not supported.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> table = jaring.tensor([[3.0, 4.0], [0.3, 0.4]])
        >>> F.embedding(jaring.tensor([1, 0]), table, max_norm=1.0).tolist()  # row 0 had norm 5
        [[0.30000001192092896, 0.4000000059604645], [0.6000000238418579, 0.800000011920929]]
    """
    if sparse:
        raise NotImplementedError("embedding: sparse gradients are not supported in jaring; use sparse=False")
    max_norm, norm_type = check_norm("embedding", max_norm, norm_type)
    weight = as_tensor(weight)
    ids = input if isinstance(input, Tensor) else Tensor(input)
    if max_norm is not None and ids.dtype.kind in "iu" and weight.ndim == 2:
        if ids.size and 0 <= int(ids.data.min()) and int(ids.data.max()) < weight.shape[0]:
            renorm_rows(weight, ids.data, max_norm, norm_type)
    if not scale_grad_by_freq:
        return plain_embedding(ids, weight, padding_idx=padding_idx)
    plain_embedding(ids, weight.detach(), padding_idx=padding_idx)  # its checks, outside the graph
    padding_idx = None if padding_idx is None else int(padding_idx) % weight.shape[0]
    return FrequencyScaledEmbedding.apply(weight, ids, padding_idx=padding_idx)
