"""torch.nn.TransformerDecoderLayer and torch.nn.TransformerDecoder: self-attention over the
target, cross-attention from the target to the encoder's memory, and a feed-forward block,
each with dropout, a residual connection and LayerNorm (after the sum, or before the block
with norm_first), stacked num_layers times.

Submodules carry torch's names (self_attn, multihead_attn, linear1, dropout, linear2, norm1 to
norm3, dropout1 to dropout3; a stack's layers.0., ... and norm), so torch's state dicts load.
"""

from __future__ import annotations

from typing import Any

from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn.attention import MultiheadAttention
from jaring.nn.dropout import Dropout
from jaring.nn.linear import Linear
from jaring.nn.module import Module
from jaring.nn.norm import LayerNorm
from jaring.nn.transformer_parts import (
    layer_settings,
    check_mask,
    check_sequence,
    clones,
    feedforward_activation,
)


class TransformerDecoderLayer(Module):
    """torch.nn.TransformerDecoderLayer(d_model, nhead, dim_feedforward=2048, dropout=0.1,
    activation="relu", layer_norm_eps=1e-5, batch_first=False, norm_first=False, bias=True).

    forward(tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
    memory_key_padding_mask=None, tgt_is_causal=False, memory_is_causal=False): tgt is (T, N, E)
    and memory (S, N, E), (N, T, E) and (N, S, E) with batch_first, or unbatched (T, E), (S, E).
    tgt_mask is (T, T), memory_mask (T, S), the padding masks (N, T) and (N, S); bool True means
    "do not attend", floats are added to the scores. tgt_is_causal without tgt_mask masks the
    future. seed makes the weights and the dropout masks reproducible.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> layer = nn.TransformerDecoderLayer(16, 4, dim_feedforward=32, batch_first=True, seed=0)
        >>> tgt, memory = jaring.randn(2, 3, 16, seed=1), jaring.randn(2, 5, 16, seed=2)
        >>> layer(tgt, memory, tgt_is_causal=True).shape
        (2, 3, 16)
    """

    def __init__(
        self,
        d_model: int,
        nhead: int,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: Any = "relu",
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        seed: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        name = type(self).__name__
        p, rng = layer_settings(self, d_model, nhead, dim_feedforward, dropout, batch_first, norm_first, seed)
        attention = dict(dropout=p, bias=bias, batch_first=batch_first, seed=rng, dtype=dtype)
        self.self_attn = MultiheadAttention(d_model, nhead, **attention)
        self.multihead_attn = MultiheadAttention(d_model, nhead, **attention)
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias, seed=rng, dtype=dtype)
        self.dropout = Dropout(p, seed=rng)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias, seed=rng, dtype=dtype)
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
        self.norm3 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
        self.dropout1 = Dropout(p, seed=rng)
        self.dropout2 = Dropout(p, seed=rng)
        self.dropout3 = Dropout(p, seed=rng)
        self.activation = feedforward_activation(name, activation)

    def forward(
        self,
        tgt: Any,
        memory: Any,
        tgt_mask: Any = None,
        memory_mask: Any = None,
        tgt_key_padding_mask: Any = None,
        memory_key_padding_mask: Any = None,
        tgt_is_causal: bool = False,
        memory_is_causal: bool = False,
    ) -> Tensor:
        name, dtype = type(self).__name__, self.linear1.weight.dtype
        x = F.cast(check_sequence(name, "tgt", tgt, self.d_model, self.batch_first, dtype), dtype)
        memory = F.cast(check_sequence(name, "memory", memory, self.d_model, self.batch_first, dtype), dtype)
        if memory.ndim != x.ndim:
            raise ValueError(
                f"{name}: tgt and memory must both be batched or both unbatched, "
                f"got {x.shape} and {memory.shape}"
            )
        masks = dict(
            tgt_mask=tgt_mask,
            memory_mask=memory_mask,
            tgt_key_padding_mask=tgt_key_padding_mask,
            memory_key_padding_mask=memory_key_padding_mask,
        )
        masks = {key: check_mask(name, key, mask) for key, mask in masks.items()}
        self_masks = (masks["tgt_mask"], masks["tgt_key_padding_mask"], bool(tgt_is_causal))
        cross_masks = (masks["memory_mask"], masks["memory_key_padding_mask"], bool(memory_is_causal))
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), *self_masks)
            x = x + self._mha_block(self.norm2(x), memory, *cross_masks)
            return x + self._ff_block(self.norm3(x))
        x = self.norm1(x + self._sa_block(x, *self_masks))
        x = self.norm2(x + self._mha_block(x, memory, *cross_masks))
        return self.norm3(x + self._ff_block(x))

    def _sa_block(self, x: Tensor, attn_mask: Any, key_padding_mask: Any, is_causal: bool) -> Tensor:
        out = self.self_attn(
            x,
            x,
            x,
            attn_mask=attn_mask,
            key_padding_mask=key_padding_mask,
            need_weights=False,
            is_causal=is_causal,
        )[0]
        return self.dropout1(out)

    def _mha_block(
        self, x: Tensor, memory: Tensor, attn_mask: Any, key_padding_mask: Any, is_causal: bool
    ) -> Tensor:
        out = self.multihead_attn(
            x,
            memory,
            memory,
            attn_mask=attn_mask,
            key_padding_mask=key_padding_mask,
            need_weights=False,
            is_causal=is_causal,
        )[0]
        return self.dropout2(out)

    def _ff_block(self, x: Tensor) -> Tensor:
        return self.dropout3(self.linear2(self.dropout(self.activation(self.linear1(x)))))

    def extra_repr(self) -> str:
        return f"d_model={self.d_model}, batch_first={self.batch_first}, norm_first={self.norm_first}"


class TransformerDecoder(Module):
    """torch.nn.TransformerDecoder(decoder_layer, num_layers, norm=None): num_layers deep copies
    of decoder_layer applied in turn to the target, each attending to the same memory, then norm.

    forward(tgt, memory, tgt_mask=None, memory_mask=None, tgt_key_padding_mask=None,
    memory_key_padding_mask=None, tgt_is_causal=None, memory_is_causal=False) passes the masks
    to every layer. The copies start with equal weights, as torch's.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> layer = nn.TransformerDecoderLayer(16, 4, dim_feedforward=32, seed=0)
        >>> decoder = nn.TransformerDecoder(layer, num_layers=2, norm=nn.LayerNorm(16))
        >>> tgt, memory = jaring.randn(3, 2, 16, seed=1), jaring.randn(5, 2, 16, seed=2)  # (T,N,E), (S,N,E)
        >>> mask = nn.Transformer.generate_square_subsequent_mask(3)
        >>> decoder.eval()(tgt, memory, tgt_mask=mask).shape
        (3, 2, 16)
    """

    def __init__(self, decoder_layer: Module, num_layers: int, norm: Module | None = None) -> None:
        super().__init__()
        self.layers = clones(decoder_layer, num_layers, type(self).__name__)
        self.num_layers = int(num_layers)
        if norm is not None and not isinstance(norm, Module):
            raise TypeError(f"TransformerDecoder: norm must be a Module or None, got {type(norm).__name__}")
        self.norm = norm

    def forward(
        self,
        tgt: Any,
        memory: Any,
        tgt_mask: Any = None,
        memory_mask: Any = None,
        tgt_key_padding_mask: Any = None,
        memory_key_padding_mask: Any = None,
        tgt_is_causal: bool | None = None,
        memory_is_causal: bool = False,
    ) -> Tensor:
        output = tgt
        for layer in self.layers:
            output = layer(
                output,
                memory,
                tgt_mask=tgt_mask,
                memory_mask=memory_mask,
                tgt_key_padding_mask=tgt_key_padding_mask,
                memory_key_padding_mask=memory_key_padding_mask,
                tgt_is_causal=bool(tgt_is_causal),
                memory_is_causal=memory_is_causal,
            )
        return output if self.norm is None else self.norm(output)
