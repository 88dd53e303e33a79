"""torch.nn.TransformerEncoderLayer and torch.nn.TransformerEncoder: self-attention and a
feed-forward block, each with dropout, a residual connection and LayerNorm (after the sum, or
before the block with norm_first), stacked num_layers times.

Submodules carry torch's names (self_attn, linear1, dropout, linear2, norm1, norm2, dropout1,
dropout2; a stack's layers.0., layers.1., ... and norm), so torch's state dicts load as they
are. torch's fast paths (fused kernels, nested tensors) compute the same values, except that
torch's TransformerEncoder under no_grad with a src_key_padding_mask returns zeros at the padded
positions, where this one returns what the layers computed there.
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


class TransformerEncoderLayer(Module):
    """torch.nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=2048, dropout=0.1,
    activation="relu", layer_norm_eps=1e-5, batch_first=False, norm_first=False, bias=True).

    forward(src, src_mask=None, src_key_padding_mask=None, is_causal=False): src is (S, N, E),
    (N, S, E) with batch_first, or unbatched (S, E). Masks as nn.MultiheadAttention's: bool True
    means "do not attend", floats are added to the scores; src_mask (S, S) or (N * nhead, S, S),
    src_key_padding_mask (N, S). is_causal without src_mask masks the future. activation is
    "relu", "gelu" or a callable. seed makes the weights and the dropout masks reproducible.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> layer = nn.TransformerEncoderLayer(16, nhead=4, dim_feedforward=32, batch_first=True, seed=0)
        >>> layer(jaring.randn(2, 5, 16, seed=1)).shape
        (2, 5, 16)
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
        self.self_attn = MultiheadAttention(
            d_model, nhead, dropout=p, bias=bias, batch_first=batch_first, seed=rng, dtype=dtype
        )
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias, seed=rng, dtype=dtype)
        self.dropout = Dropout(p, seed=rng)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias, seed=rng, dtype=dtype)
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
        self.dropout1 = Dropout(p, seed=rng)
        self.dropout2 = Dropout(p, seed=rng)
        self.activation = feedforward_activation(name, activation)

    def forward(
        self,
        src: Any,
        src_mask: Any = None,
        src_key_padding_mask: Any = None,
        is_causal: bool = False,
    ) -> Tensor:
        name = type(self).__name__
        x = check_sequence(name, "src", src, self.d_model, self.batch_first, self.linear1.weight.dtype)
        x = F.cast(x, self.linear1.weight.dtype)
        src_mask = check_mask(name, "src_mask", src_mask)
        src_key_padding_mask = check_mask(name, "src_key_padding_mask", src_key_padding_mask)
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), src_mask, src_key_padding_mask, is_causal)
            return x + self._ff_block(self.norm2(x))
        x = self.norm1(x + self._sa_block(x, src_mask, src_key_padding_mask, is_causal))
        return self.norm2(x + self._ff_block(x))

    def _sa_block(self, x: Tensor, attn_mask: Any, key_padding_mask: Any, is_causal: bool) -> Tensor:
        out = self.self_attn(
            x,
            x,
            x,
            attn_mask=attn_mask,
            key_padding_mask=key_padding_mask,
            need_weights=False,
            is_causal=bool(is_causal),
        )[0]
        return self.dropout1(out)

    def _ff_block(self, x: Tensor) -> Tensor:
        return self.dropout2(self.linear2(self.dropout(self.activation(self.linear1(x)))))

    def extra_repr(self) -> str:
        return f"d_model={self.d_model}, batch_first={self.batch_first}, norm_first={self.norm_first}"


class TransformerEncoder(Module):
    """torch.nn.TransformerEncoder(encoder_layer, num_layers, norm=None): num_layers deep copies
    of encoder_layer applied in turn, then norm (a LayerNorm, say) when given.

    forward(src, mask=None, src_key_padding_mask=None, is_causal=None) passes the masks to every
    layer. The copies start with equal weights, as torch's. enable_nested_tensor and mask_check
    are accepted for torch's code and do nothing (there are no nested tensors here).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> layer = nn.TransformerEncoderLayer(16, 4, dim_feedforward=32, batch_first=True, seed=0)
        >>> encoder = nn.TransformerEncoder(layer, num_layers=2).eval()
        >>> padding = jaring.tensor([[False] * 5, [False] * 3 + [True] * 2])  # True: padding
        >>> encoder(jaring.randn(2, 5, 16, seed=1), src_key_padding_mask=padding).shape
        (2, 5, 16)
        >>> sorted(encoder.state_dict())[:2]
        ['layers.0.linear1.bias', 'layers.0.linear1.weight']
    """

    def __init__(
        self,
        encoder_layer: Module,
        num_layers: int,
        norm: Module | None = None,
        enable_nested_tensor: bool = True,
        mask_check: bool = True,
    ) -> None:
        super().__init__()
        self.layers = clones(encoder_layer, num_layers, type(self).__name__)
        self.num_layers = int(num_layers)
        if norm is not None and not isinstance(norm, Module):
            raise TypeError(f"TransformerEncoder: norm must be a Module or None, got {type(norm).__name__}")
        self.norm = norm

    def forward(
        self,
        src: Any,
        mask: Any = None,
        src_key_padding_mask: Any = None,
        is_causal: bool | None = None,
    ) -> Tensor:
        output = src
        for layer in self.layers:
            output = layer(
                output, src_mask=mask, src_key_padding_mask=src_key_padding_mask, is_causal=bool(is_causal)
            )
        return output if self.norm is None else self.norm(output)
