"""scaled_dot_product_attention as torch.nn.functional.scaled_dot_product_attention.

softmax(q @ k^T * scale + mask) @ v, built from differentiable ops (matmul, where, softmax,
dropout), so its backward is theirs. A boolean mask keeps the positions that are True; a float
mask is added to the scores. A query row whose mask keeps nothing gives zeros, as PyTorch does:
that row's softmax runs unmasked and its weights are then zeroed, so no NaN reaches the
gradient.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.ops.softmax import softmax
from jaring.ops.arith import add, mul
from jaring.ops.common import as_tensor, floating
from jaring.ops.dropout import dropout
from jaring.ops.index import getitem
from jaring.ops.linalg import matmul
from jaring.ops.select import where
from jaring.ops.shape import swapaxes


def _repeat_heads(t: Tensor, heads: int) -> Tensor:
    """Grouped-query attention: each key/value head serves heads / t's heads query heads."""
    groups = heads // t.shape[-3]
    index = np.arange(heads) // groups
    return getitem(t, (Ellipsis, index, slice(None), slice(None)))


def scaled_dot_product_attention(
    query: Any,
    key: Any,
    value: Any,
    attn_mask: Any = None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale: float | None = None,
    enable_gqa: bool = False,
    *,
    seed: Any = None,
) -> Tensor:
    """Attention over (..., L, E) queries, (..., S, E) keys and (..., S, Ev) values -> (..., L, Ev).

    attn_mask: bool (True = attend) or float (added), broadcastable to (..., L, S). is_causal
    masks the future with a lower-triangular (L, S) mask (not together with attn_mask).
    scale defaults to 1 / sqrt(E). dropout_p drops attention weights (always, as the function
    in PyTorch does; pass 0 at evaluation); seed makes that reproducible (an int or Generator).
    enable_gqa lets keys and values have fewer heads (axis -3) than the queries.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> q = jaring.randn(2, 4, 5, 8, seed=0)  # (batch, heads, L, E)
        >>> k, v = jaring.randn(2, 4, 6, 8, seed=1), jaring.randn(2, 4, 6, 16, seed=2)
        >>> F.scaled_dot_product_attention(q, k, v).shape
        (2, 4, 5, 16)
        >>> zeros, v = jaring.zeros(1, 2, 4), jaring.tensor([[[1.0], [3.0]]])
        >>> F.scaled_dot_product_attention(zeros, zeros, v, is_causal=True).tolist()
        [[[1.0], [2.0]]]
    """
    op = "scaled_dot_product_attention"
    q = floating(query)
    k, v = as_tensor(key, q), as_tensor(value, q)
    if q.ndim < 2 or k.ndim < 2 or v.ndim < 2 or q.shape[-1] != k.shape[-1] or k.shape[-2] != v.shape[-2]:
        raise ValueError(
            f"{op}: expected query (..., L, E), key (..., S, E) and value (..., S, Ev), "
            f"got {q.shape}, {k.shape} and {v.shape}"
        )
    if enable_gqa and q.ndim >= 3 and k.shape[-3] != q.shape[-3]:
        if q.shape[-3] % k.shape[-3] or k.shape[-3] != v.shape[-3]:
            raise ValueError(
                f"{op}: with enable_gqa the query heads ({q.shape[-3]}) must be a multiple of "
                f"the key heads ({k.shape[-3]}), the same for the values"
            )
        k, v = _repeat_heads(k, q.shape[-3]), _repeat_heads(v, q.shape[-3])
    if is_causal and attn_mask is not None:
        raise ValueError(f"{op}: give attn_mask or is_causal, not both")
    length, source = q.shape[-2], k.shape[-2]
    scores = mul(
        matmul(q, swapaxes(k, -2, -1)), 1 / math.sqrt(q.shape[-1]) if scale is None else float(scale)
    )
    xp = backend.array_module(q.data)
    keep = None
    if is_causal:
        keep = xp.tril(xp.ones((length, source), dtype=bool))
    elif attn_mask is not None:
        mask = attn_mask.data if isinstance(attn_mask, Tensor) else xp.asarray(attn_mask)
        if mask.dtype == bool:
            keep = mask
        else:
            scores = add(scores, as_tensor(attn_mask, q))
    if keep is not None:
        try:
            keep = xp.broadcast_to(keep, scores.shape)
        except ValueError:
            raise ValueError(
                f"{op}: attn_mask of shape {keep.shape} does not broadcast to {scores.shape}"
            ) from None
        alive = keep.any(axis=-1, keepdims=True)
        scores = where(Tensor(keep | ~alive), scores, float("-inf"))
    weights = softmax(scores, axis=-1)
    if keep is not None and not alive.all():
        weights = where(Tensor(xp.broadcast_to(alive, weights.shape)), weights, 0.0)
    if dropout_p:
        weights = dropout(weights, dropout_p, training=True, seed=seed)
    return matmul(weights, v)
