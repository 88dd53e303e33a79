"""Embedding lookup: rows of a (vocab_size, dim) table picked by integer token ids.

The gradient of a row is the sum of the output gradients at every position holding its id.
Summing rows by id is the costly part of backward; `_sum_rows` does it with a sparse product.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor


def _sum_rows(ids: Any, grad: Any, vocab: int) -> Any:
    """out[v] = sum of grad[k] over every k with ids[k] == v; ids (n,), grad (n, dim).

    On NumPy this is a sparse one-hot product, (vocab, n) @ (n, dim): it adds whole rows, where
    np.add.at adds one element at a time, a sort-and-cumsum sorts, and a bincount over (id, column)
    pairs needs float64.
    """
    xp = backend.array_module(grad)
    if xp is not np:
        out = xp.zeros((vocab, grad.shape[1]), grad.dtype)
        xp.add.at(out, ids, grad)  # atomic adds are fast on the GPU
        return out
    import scipy.sparse  # a dependency of scikit-learn; loaded on first use only

    n = ids.size
    onehot = scipy.sparse.csr_matrix((np.ones(n, grad.dtype), ids, np.arange(n + 1)), shape=(n, vocab))
    return np.asarray(onehot.T @ grad)


class EmbeddingFunction(Function):
    """weight[ids]; backward sums the gradient into the rows that were picked."""

    @staticmethod
    def forward(ctx: Context, weight: Any, ids: Any, padding_idx: int | None = None) -> Any:
        ctx.save_for_backward(ids)
        ctx.vocab, ctx.padding_idx = weight.shape[0], padding_idx
        return weight[ids]

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        (ids,) = ctx.saved
        if grad.ndim > 1:
            # Flatten in the gradient's memory order (e.g. (time, batch) from a recurrent layer):
            # the order of the rows does not matter for the sum, a copy would.
            lead = sorted(range(grad.ndim - 1), key=lambda a: -grad.strides[a])
            grad, ids = grad.transpose(*lead, grad.ndim - 1), ids.transpose(*lead)
        out = _sum_rows(ids.reshape(-1), grad.reshape(-1, grad.shape[-1]), ctx.vocab)
        if ctx.padding_idx is not None:
            out[ctx.padding_idx] = 0  # the padding row is not trained (PyTorch's padding_idx)
        return out, None


def embedding(ids: Any, weight: Any, padding_idx: int | None = None) -> Tensor:
    """Look up rows of `weight` (vocab_size, dim) for integer `ids` of any shape: (*ids.shape, dim).

    Ids must lie in [0, vocab_size). The row `padding_idx`, if given, receives no gradient.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> table = jaring.arange(6.0).reshape(3, 2)  # 3 tokens, 2-d vectors
        >>> out = F.embedding(jaring.tensor([[0, 2], [1, 1]]), table)
        >>> out.shape, out.tolist()
        ((2, 2, 2), [[[0.0, 1.0], [4.0, 5.0]], [[2.0, 3.0], [2.0, 3.0]]])
    """
    weight = as_tensor(weight)
    ids = ids if isinstance(ids, Tensor) else Tensor(ids)
    if weight.ndim != 2:
        raise ValueError(f"embedding: weight must have shape (vocab_size, dim), got {weight.shape}")
    if ids.dtype.kind not in "iu":
        raise TypeError(f"embedding: token ids must be integers, got dtype {ids.dtype}")
    vocab = weight.shape[0]
    if padding_idx is not None and not -vocab <= padding_idx < vocab:
        raise ValueError(f"embedding: padding_idx {padding_idx} is out of range for a vocabulary of {vocab}")
    if padding_idx is not None:
        padding_idx = int(padding_idx) % vocab
    if ids.size:
        low, high = int(ids.data.min()), int(ids.data.max())
        if low < 0 or high >= vocab:
            bad = low if low < 0 else high
            raise IndexError(
                f"embedding: token id {bad} is out of range for a vocabulary of {vocab} "
                f"(ids must lie in [0, {vocab - 1}])"
            )
    return EmbeddingFunction.apply(weight, ids, padding_idx=padding_idx)
