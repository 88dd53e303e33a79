"""EmbeddingBag: torch's nn.EmbeddingBag, one vector per bag of token ids (the op is
jaring/ops/embedding_bag.py): bag-of-words text classifiers, recommenders' multi-hot features."""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring.autograd.tensor import Tensor
from jaring.nn import init
from jaring.nn.module import Module, Parameter
from jaring.ops.embedding_bag import MODES, embedding_bag
from jaring.ops.embedding_options import check_norm
from jaring.random import get_rng
from jaring.validation import check_bool, check_int


class EmbeddingBag(Module):
    """The sum, mean or max of the embeddings of each bag, as torch's nn.EmbeddingBag.

    weight (num_embeddings, embedding_dim) starts N(0, 1), torch's initialisation, drawn from
    `seed` (an int or a NumPy Generator), with the padding_idx row zeroed; its state_dict key is
    `weight`. forward(input, offsets=None, per_sample_weights=None): a 2-d (B, N) input is B bags
    of N ids; a 1-d input is cut into bags at `offsets` (see jaring.ops.embedding_bag).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> bag = nn.EmbeddingBag(10, 3, mode="sum", seed=0)
        >>> bag(jaring.tensor([1, 2, 4, 5, 4, 3, 2, 9]), jaring.tensor([0, 4])).shape
        (2, 3)
        >>> bag
        EmbeddingBag(10, 3, mode='sum')
    """

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        mode: str = "mean",
        sparse: bool = False,
        _weight: Any = None,
        include_last_offset: bool = False,
        padding_idx: int | None = None,
        seed: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self.num_embeddings = check_int("EmbeddingBag", "num_embeddings", num_embeddings, low=1)
        self.embedding_dim = check_int("EmbeddingBag", "embedding_dim", embedding_dim, low=1)
        self.max_norm, self.norm_type = check_norm("EmbeddingBag", max_norm, norm_type)
        self.scale_grad_by_freq = check_bool("EmbeddingBag", "scale_grad_by_freq", scale_grad_by_freq)
        if mode not in MODES:
            raise ValueError(f"EmbeddingBag: mode has to be one of sum, mean or max, got {mode!r}")
        self.mode = mode
        if check_bool("EmbeddingBag", "sparse", sparse):
            raise NotImplementedError(
                "EmbeddingBag: sparse gradients are not supported in jaring; use sparse=False"
            )
        self.sparse = False
        self.include_last_offset = check_bool("EmbeddingBag", "include_last_offset", include_last_offset)
        if padding_idx is not None:
            check_int("EmbeddingBag", "padding_idx", padding_idx)
            if not -self.num_embeddings <= padding_idx < self.num_embeddings:
                raise AssertionError("EmbeddingBag: padding_idx must be within num_embeddings")
            padding_idx = int(padding_idx) % self.num_embeddings
        self.padding_idx = padding_idx
        shape = (self.num_embeddings, self.embedding_dim)
        if _weight is None:
            table = init.normal(shape, seed=get_rng(seed), dtype=dtype)
            if padding_idx is not None:
                table[padding_idx] = 0
        else:
            table = _weight.numpy() if isinstance(_weight, Tensor) else np.asarray(_weight)
            if table.shape != shape:
                raise ValueError(f"EmbeddingBag: shape of _weight {table.shape} does not match {shape}")
        self.weight = Parameter(table)

    def forward(self, input: Any, offsets: Any = None, per_sample_weights: Any = None) -> Tensor:
        return embedding_bag(
            input,
            self.weight,
            offsets,
            max_norm=self.max_norm,
            norm_type=self.norm_type,
            scale_grad_by_freq=self.scale_grad_by_freq,
            mode=self.mode,
            per_sample_weights=per_sample_weights,
            include_last_offset=self.include_last_offset,
            padding_idx=self.padding_idx,
        )

    def extra_repr(self) -> str:
        extra = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.max_norm is not None:
            extra += f", max_norm={self.max_norm}"
        if self.norm_type != 2.0:
            extra += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq:
            extra += ", scale_grad_by_freq=True"
        extra += f", mode={self.mode!r}"
        if self.padding_idx is not None:
            extra += f", padding_idx={self.padding_idx}"
        return extra
