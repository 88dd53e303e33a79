"""Embedding layer (token ids -> vectors) and the mask that tells recurrent layers which steps are padding.

Mask convention: Embedding(mask_zero=True) returns a `MaskedTensor`, an ordinary Tensor that
also carries `.mask`, a boolean (batch, time) array true at real tokens (id != 0). A recurrent
layer (or Bidirectional) that receives it uses that mask unless given mask= explicitly, and
passes it on with return_sequences=True, so stacks of recurrent layers in a Sequential see it.
Any other op returns a plain Tensor, so the mask ends at the first non-recurrent layer; to
put e.g. Dropout between Embedding and LSTM, call the LSTM with mask=(ids != 0) yourself.
"""

from __future__ import annotations

from typing import Any
from collections.abc import Callable

import numpy as np

from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn import init
from jaring.nn.module import Module, Parameter
from jaring.validation import check_bool, check_int
from jaring.random import get_rng


class MaskedTensor(Tensor):
    """A Tensor with a boolean (batch, time) `.mask` of the steps that hold real tokens.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> out = nn.Embedding(10, 4, mask_zero=True, seed=0)(jaring.tensor([[5, 2, 0, 0]]))
        >>> type(out).__name__, isinstance(out, jaring.Tensor), out.shape
        ('MaskedTensor', True, (1, 4, 4))
        >>> out.mask.tolist()  # id 0 is padding
        [[True, True, False, False]]
    """

    __slots__ = ("mask",)


def with_mask(x: Tensor, mask: Any) -> Tensor:
    """The same tensor (same data and graph node) carrying `mask`; None gives x back unchanged."""
    if mask is None:
        return x
    out = object.__new__(MaskedTensor)
    out.data, out.grad, out._ctx, out._retain = x.data, None, x._ctx, False
    out.name, out.requires_grad = x.name, x.requires_grad
    out.mask = mask
    return out


def get_mask(x: Any) -> Any:
    """The mask a tensor carries, or None."""
    return getattr(x, "mask", None)


class Embedding(Module):
    """A trainable (input_dim, output_dim) table: Keras's words for the vocabulary size and the
    vector size; integer ids of any shape become (*ids.shape, output_dim).

    mask_zero=True (Keras): id 0 is padding; the output carries a mask for recurrent layers
    (see the module docstring), so the vocabulary must reserve 0. padding_idx (PyTorch): that
    row starts at zero and receives no gradient. The default initializer is Keras's "uniform"
    (U(-0.05, 0.05)); embeddings_initializer="normal" gives PyTorch's N(0, 1).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> emb = nn.Embedding(100, 8, mask_zero=True, seed=0)
        >>> emb(jaring.tensor([[3, 7, 0]])).shape
        (1, 3, 8)
    """

    def __init__(
        self,
        input_dim: int,
        output_dim: int,
        mask_zero: bool = False,
        padding_idx: int | None = None,
        embeddings_initializer: str | Callable = "uniform",
        seed: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        for what, value in (("input_dim", input_dim), ("output_dim", output_dim)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"Embedding: {what} must be a positive integer, got {value!r}")
        self.input_dim, self.output_dim = int(input_dim), int(output_dim)
        self.mask_zero = check_bool("Embedding", "mask_zero", mask_zero)
        if padding_idx is not None:
            check_int("Embedding", "padding_idx", padding_idx)
            if not -self.input_dim <= padding_idx < self.input_dim:
                raise ValueError(
                    f"Embedding: padding_idx {padding_idx} is out of range for input_dim {self.input_dim}"
                )
            padding_idx = int(padding_idx) % self.input_dim
        self.padding_idx = padding_idx
        table = init.resolve(embeddings_initializer, argument="Embedding embeddings_initializer")(
            (self.input_dim, self.output_dim), seed=get_rng(seed), dtype=dtype
        )
        if padding_idx is not None:
            table[padding_idx] = 0
        self.weight = Parameter(table)

    def forward(self, ids: Any) -> Tensor:
        ids = ids if isinstance(ids, Tensor) else Tensor(ids)
        if ids.dtype.kind == "f":  # whole-number floats (Keras casts them; Module.build feeds zeros)
            if not bool((ids.data == ids.data.round()).all()):
                raise TypeError(f"{self._label()}: token ids must be whole numbers, got fractional values")
            if ids.data.size and not bool((np.abs(ids.data) < self.input_dim).all()):
                worst = ids.data.flat[int(np.nanargmax(np.abs(ids.data)))]  # before int64 can overflow
                raise ValueError(
                    f"{self._label()}: token ids must be in [0, {self.input_dim - 1}], got {float(worst):g}"
                )
            ids = Tensor(ids.data.astype(np.int64))
        out = F.embedding(ids, self.weight, padding_idx=self.padding_idx)
        return with_mask(out, ids.data != 0) if self.mask_zero else out

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "Embedding":
        """Also reads files saved before the Keras names, when the sizes were vocab_size and dim."""
        config = dict(config)
        for old, new in (("vocab_size", "input_dim"), ("dim", "output_dim")):
            if old in config:
                config[new] = config.pop(old)
        return super().from_config(config)

    def _label(self) -> str:
        return f"Embedding({self.input_dim}, {self.output_dim})"

    def extra_repr(self) -> str:
        extra = ", mask_zero=True" if self.mask_zero else ""
        if self.padding_idx is not None:
            extra += f", padding_idx={self.padding_idx}"
        return f"{self.input_dim}, {self.output_dim}{extra}"
