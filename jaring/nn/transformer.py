"""torch.nn.Transformer: an encoder stack over the source and a decoder stack over the target
that attends to the encoder's output, each ending in a LayerNorm, as in "Attention Is All You
Need". State dict keys are torch's (encoder.layers.0.self_attn.in_proj_weight, ...,
encoder.norm.weight, decoder.layers.0.multihead_attn..., decoder.norm.bias).
"""

from __future__ import annotations

from typing import Any

from jaring.autograd.tensor import Tensor
from jaring.nn import init
from jaring.nn.module import Module
from jaring.nn.norm import LayerNorm
from jaring.nn.transformer_decoder import TransformerDecoder, TransformerDecoderLayer
from jaring.nn.transformer_encoder import TransformerEncoder, TransformerEncoderLayer
from jaring.nn.transformer_parts import check_sequence, square_subsequent_mask
from jaring.random import get_rng


class Transformer(Module):
    """torch.nn.Transformer(d_model=512, nhead=8, num_encoder_layers=6, num_decoder_layers=6,
    dim_feedforward=2048, dropout=0.1, activation="relu", custom_encoder=None,
    custom_decoder=None, layer_norm_eps=1e-5, batch_first=False, norm_first=False, bias=True).

    forward(src, tgt, src_mask=None, tgt_mask=None, memory_mask=None, src_key_padding_mask=None,
    tgt_key_padding_mask=None, memory_key_padding_mask=None, src_is_causal=None,
    tgt_is_causal=None, memory_is_causal=False) -> (T, N, E), or (N, T, E) with batch_first.
    Every weight matrix starts Xavier-uniform, as torch's. Transformer.generate_square_subsequent_mask(sz)
    gives the causal float mask for tgt_mask.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> model = nn.Transformer(d_model=16, nhead=4, num_encoder_layers=2, num_decoder_layers=2,
        ...                        dim_feedforward=32, batch_first=True, seed=0)
        >>> src, tgt = jaring.randn(2, 6, 16, seed=1), jaring.randn(2, 4, 16, seed=2)
        >>> mask = nn.Transformer.generate_square_subsequent_mask(4)
        >>> model(src, tgt, tgt_mask=mask).shape
        (2, 4, 16)
        >>> mask.tolist()[1]
        [0.0, 0.0, -inf, -inf]
    """

    def __init__(
        self,
        d_model: int = 512,
        nhead: int = 8,
        num_encoder_layers: int = 6,
        num_decoder_layers: int = 6,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: Any = "relu",
        custom_encoder: Module | None = None,
        custom_decoder: Module | None = None,
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        seed: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        rng = get_rng(seed)
        layer_args = dict(
            dim_feedforward=dim_feedforward,
            dropout=dropout,
            activation=activation,
            layer_norm_eps=layer_norm_eps,
            batch_first=batch_first,
            norm_first=norm_first,
            bias=bias,
            seed=None if seed is None else rng,
            dtype=dtype,
        )
        norm_args = dict(eps=layer_norm_eps, bias=bias, dtype=dtype)
        if custom_encoder is not None:
            self.encoder = custom_encoder
        else:
            layer = TransformerEncoderLayer(d_model, nhead, **layer_args)
            self.encoder = TransformerEncoder(layer, num_encoder_layers, LayerNorm(d_model, **norm_args))
        if custom_decoder is not None:
            self.decoder = custom_decoder
        else:
            layer = TransformerDecoderLayer(d_model, nhead, **layer_args)
            self.decoder = TransformerDecoder(layer, num_decoder_layers, LayerNorm(d_model, **norm_args))
        for p in self.parameters():
            if p.ndim > 1:
                init.xavier_uniform_(p, generator=rng)
        self.d_model, self.nhead, self.batch_first = int(d_model), int(nhead), bool(batch_first)

    def forward(
        self,
        src: Any,
        tgt: Any,
        src_mask: Any = None,
        tgt_mask: Any = None,
        memory_mask: Any = None,
        src_key_padding_mask: Any = None,
        tgt_key_padding_mask: Any = None,
        memory_key_padding_mask: Any = None,
        src_is_causal: bool | None = None,
        tgt_is_causal: bool | None = None,
        memory_is_causal: bool = False,
    ) -> Tensor:
        src = check_sequence("Transformer", "src", src, self.d_model, self.batch_first, None)
        tgt = check_sequence("Transformer", "tgt", tgt, self.d_model, self.batch_first, None)
        batch_axis = 0 if self.batch_first else 1
        if src.ndim == 3 and (tgt.ndim != 3 or src.shape[batch_axis] != tgt.shape[batch_axis]):
            raise ValueError(
                f"Transformer: the batch number of src and tgt must be equal, got {src.shape} and {tgt.shape}"
            )
        memory = self.encoder(
            src, mask=src_mask, src_key_padding_mask=src_key_padding_mask, is_causal=src_is_causal
        )
        return self.decoder(
            tgt,
            memory,
            tgt_mask=tgt_mask,
            memory_mask=memory_mask,
            tgt_key_padding_mask=tgt_key_padding_mask,
            memory_key_padding_mask=memory_key_padding_mask,
            tgt_is_causal=tgt_is_causal,
            memory_is_causal=memory_is_causal,
        )

    @staticmethod
    def generate_square_subsequent_mask(sz: int, device: Any = None, dtype: Any = None) -> Tensor:
        """The (sz, sz) causal mask: 0 on and below the diagonal, -inf above (float32 by default).

        device is accepted for torch's code and ignored (the mask is a NumPy array).

        Examples:
            >>> from jaring import nn
            >>> nn.Transformer.generate_square_subsequent_mask(3).tolist()
            [[0.0, -inf, -inf], [0.0, 0.0, -inf], [0.0, 0.0, 0.0]]
        """
        return square_subsequent_mask(sz, dtype)

    def extra_repr(self) -> str:
        return f"d_model={self.d_model}, nhead={self.nhead}, batch_first={self.batch_first}"
