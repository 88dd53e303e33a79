"""Distances as modules: PairwiseDistance and CosineSimilarity, thin calls into
jaring.functional with torch.nn's arguments and defaults. Neither holds parameters."""

from __future__ import annotations

from typing import Any

from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn.module import Module


class PairwiseDistance(Module):
    """||x1 - x2 + eps||_p over the last axis, one distance per row (torch.nn.PairwiseDistance).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> dist = nn.PairwiseDistance(eps=0.0)
        >>> dist, dist(jaring.tensor([[0.0, 0.0]]), jaring.tensor([[3.0, 4.0]])).tolist()
        (PairwiseDistance(eps=0.0), [5.0])
    """

    def __init__(self, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> None:
        super().__init__()
        self.norm, self.eps, self.keepdim = p, eps, keepdim

    def forward(self, x1: Any, x2: Any) -> Tensor:
        return F.pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)


class CosineSimilarity(Module):
    """x1 . x2 / (|x1| |x2|) along `dim`, the two broadcast (torch.nn.CosineSimilarity).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.CosineSimilarity()(jaring.tensor([[1.0, 0.0]]), jaring.tensor([[2.0, 0.0]])).tolist()
        [1.0]
    """

    def __init__(self, dim: int = 1, eps: float = 1e-8) -> None:
        super().__init__()
        self.dim, self.eps = dim, eps

    def forward(self, x1: Any, x2: Any) -> Tensor:
        return F.cosine_similarity(x1, x2, self.dim, self.eps)
