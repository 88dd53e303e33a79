"""MultiheadAttention with torch.nn.MultiheadAttention's arguments, parameters and outputs.

Parameters carry torch's names (in_proj_weight (3E, E), in_proj_bias, out_proj.weight,
out_proj.bias), so state dicts move between the two as they are. The attention weights are
computed explicitly (they are returned), from differentiable ops: projections, scores plus
masks, softmax, dropout in training, the weighted sum and the output projection.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from jaring import backend
from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn import init
from jaring.nn.linear import Linear
from jaring.nn.module import Module, Parameter
from jaring.ops.dropout import check_probability
from jaring.random import get_rng


def _additive(mask: Any, like: Tensor, name: str) -> Any:
    """A mask as an additive float array: bool True (masked out) -> -inf, floats as they are."""
    xp = backend.array_module(like.data)
    data = xp.asarray(mask.data if isinstance(mask, Tensor) else mask)
    if data.dtype == bool:
        return xp.where(data, -np.inf, 0.0).astype(like.dtype)
    if data.dtype.kind != "f":
        raise TypeError(f"MultiheadAttention: {name} must be bool or float, got dtype {data.dtype}")
    return data.astype(like.dtype)


class MultiheadAttention(Module):
    """torch.nn.MultiheadAttention(embed_dim, num_heads, dropout, bias, batch_first).

    forward(query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None,
    average_attn_weights=True, is_causal=False) -> (output, weights or None). Inputs are
    (L, N, E), or (N, L, E) with batch_first, or unbatched (L, E). Masks follow torch: a bool
    True means "do not attend"; floats are added to the scores. key_padding_mask is (N, S);
    attn_mask (L, S) or (N * num_heads, L, S). is_causal without attn_mask builds the causal
    mask (torch asks for it). kdim/vdim other than embed_dim, add_bias_kv and add_zero_attn are
    not implemented.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> mha = nn.MultiheadAttention(16, 4, batch_first=True, seed=0)
        >>> x = jaring.randn(2, 5, 16, seed=1)  # (N, L, E) with batch_first
        >>> out, weights = mha(x, x, x, is_causal=True)  # self-attention; weights averaged over heads
        >>> out.shape, weights.shape, weights[0, 0].tolist()
        ((2, 5, 16), (2, 5, 5), [1.0, 0.0, 0.0, 0.0, 0.0])
    """

    def __init__(
        self,
        embed_dim: int,
        num_heads: int,
        dropout: float = 0.0,
        bias: bool = True,
        batch_first: bool = False,
        seed: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        for name, value in (("embed_dim", embed_dim), ("num_heads", num_heads)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"MultiheadAttention: {name} must be a positive integer, got {value!r}")
        if embed_dim % num_heads:
            raise ValueError(
                f"MultiheadAttention: embed_dim ({embed_dim}) must divide by num_heads ({num_heads})"
            )
        self.embed_dim, self.num_heads = int(embed_dim), int(num_heads)
        self.head_dim = self.embed_dim // self.num_heads
        self.dropout = check_probability(dropout, "MultiheadAttention")
        self.batch_first = bool(batch_first)
        rng = get_rng(seed)
        self._rng = None if seed is None else rng  # None: dropout follows jaring.manual_seed
        self.in_proj_weight = Parameter(
            init.glorot_uniform((3 * embed_dim, embed_dim), seed=rng, dtype=dtype)
        )
        self.register_parameter(
            "in_proj_bias", Parameter(init.zeros((3 * embed_dim,), dtype=dtype)) if bias else None
        )
        self.out_proj = Linear(embed_dim, embed_dim, bias=bias, seed=rng, dtype=dtype)
        if bias:
            self.out_proj.bias.data[...] = 0  # torch zeroes the output bias too

    def forward(
        self,
        query: Any,
        key: Any,
        value: Any,
        key_padding_mask: Any = None,
        need_weights: bool = True,
        attn_mask: Any = None,
        average_attn_weights: bool = True,
        is_causal: bool = False,
    ) -> tuple:
        q_in, k_in, v_in = (
            F.cast(t, self.in_proj_weight.dtype)
            if isinstance(t, Tensor)
            else Tensor(t, dtype=self.in_proj_weight.dtype)
            for t in (query, key, value)
        )
        unbatched = q_in.ndim == 2
        if unbatched:
            q_in, k_in, v_in = (F.unsqueeze(t, 1) for t in (q_in, k_in, v_in))
        batch_axis = 0 if self.batch_first and not unbatched else 1
        if (
            q_in.ndim != 3
            or q_in.shape[-1] != self.embed_dim
            or k_in.shape != v_in.shape
            or k_in.shape[-1] != self.embed_dim
            or k_in.shape[batch_axis] != q_in.shape[batch_axis]
        ):
            raise ValueError(
                f"MultiheadAttention: expected query (L, N, {self.embed_dim}) and key and value (S, N, "
                f"{self.embed_dim}) (or batch_first (N, L, E), or unbatched (L, E)), "
                f"got {q_in.shape}, {k_in.shape}, {v_in.shape}"
            )
        if not self.batch_first or unbatched:  # work in (N, L, E)
            q_in, k_in, v_in = (F.swapaxes(t, 0, 1) for t in (q_in, k_in, v_in))
        e, h, d = self.embed_dim, self.num_heads, self.head_dim
        w, b = self.in_proj_weight, self.in_proj_bias
        parts = [
            F.linear(t, w[i * e : (i + 1) * e], None if b is None else b[i * e : (i + 1) * e])
            for i, t in enumerate((q_in, k_in, v_in))
        ]
        n, length, source = q_in.shape[0], q_in.shape[1], k_in.shape[1]
        q, k, v = (
            F.swapaxes(F.reshape(p, p.shape[0], p.shape[1], h, d), 1, 2) for p in parts
        )  # (N, H, L, D)
        scores = F.matmul(q, F.swapaxes(k, -2, -1)) * (1 / math.sqrt(d))
        scores = self._masked(scores, key_padding_mask, attn_mask, is_causal, n, length, source)
        weights = F.softmax(scores, axis=-1)
        if self.training and self.dropout:
            weights = F.dropout(weights, self.dropout, training=True, seed=self._rng)
        out = F.reshape(F.swapaxes(F.matmul(weights, v), 1, 2), n, length, e)
        out = self.out_proj(out)
        if not self.batch_first or unbatched:
            out = F.swapaxes(out, 0, 1)
        if unbatched:
            out = F.squeeze(out, 1)
        if not need_weights:
            return out, None
        if average_attn_weights:
            weights = F.mean(weights, axis=1)
        return out, (weights[0] if unbatched else weights)

    def _masked(
        self,
        scores: Tensor,
        key_padding_mask: Any,
        attn_mask: Any,
        is_causal: bool,
        n: int,
        length: int,
        source: int,
    ) -> Tensor:
        """scores (N, H, L, S) plus the masks as additive terms."""
        xp = backend.array_module(scores.data)
        if is_causal and attn_mask is None:
            attn_mask = ~xp.tril(xp.ones((length, source), dtype=bool))
        if attn_mask is not None:
            mask = _additive(attn_mask, scores, "attn_mask")
            if mask.ndim == 3:
                if mask.shape != (n * self.num_heads, length, source):
                    raise ValueError(
                        f"MultiheadAttention: a 3-d attn_mask must be (N * num_heads, L, S) = "
                        f"{(n * self.num_heads, length, source)}, got {mask.shape}"
                    )
                mask = mask.reshape(n, self.num_heads, length, source)
            elif mask.shape != (length, source):
                raise ValueError(
                    f"MultiheadAttention: attn_mask must be (L, S) = {(length, source)}, got {mask.shape}"
                )
            scores = scores + Tensor._from_op(mask, None)
        if key_padding_mask is not None:
            mask = _additive(key_padding_mask, scores, "key_padding_mask")
            if mask.shape not in ((n, source), (source,)):
                raise ValueError(
                    f"MultiheadAttention: key_padding_mask must be (N, S) = {(n, source)}, got {mask.shape}"
                )
            scores = scores + Tensor._from_op(mask.reshape(-1, 1, 1, source), None)
        return scores
