"""The rest of torch.nn's losses as modules: margins (ranking, hinge, soft, multi-class,
multi-label, cosine, triplet), KL divergence and the Poisson and Gaussian likelihoods.

Each is a thin call into jaring.functional with torch's constructor arguments and defaults,
less the deprecated size_average and reduce; `reduction` is keyword-only ("mean", "sum" or
"none", and "batchmean" for KLDivLoss). None holds parameters; a class weight is a buffer.
"""

from __future__ import annotations

from typing import Any

from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn.loss import _Loss


class _BatchMeanLoss(_Loss):
    """_Loss that also accepts reduction="batchmean" (KLDivLoss)."""

    def __init__(self, reduction: str = "mean") -> None:
        super().__init__("sum" if reduction == "batchmean" else reduction)
        self.reduction = reduction


class KLDivLoss(_BatchMeanLoss):
    """KL divergence of log-probabilities `input` from `target` (torch.nn.KLDivLoss);
    reduction="batchmean" gives the divergence per sample ("mean" warns, as torch's).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> loss_fn = nn.KLDivLoss(reduction="batchmean", log_target=True)
        >>> log_p = jaring.tensor([[-0.5, -1.0]])
        >>> loss_fn, loss_fn(log_p, log_p).item()
        (KLDivLoss(reduction='batchmean', log_target=True), 0.0)
    """

    def __init__(self, *, reduction: str = "mean", log_target: bool = False) -> None:
        super().__init__(reduction)
        self.log_target = log_target

    def forward(self, input: Any, target: Any) -> Tensor:
        return F.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)


class MarginRankingLoss(_Loss):
    """max(0, -y (x1 - x2) + margin) for y in {-1, 1} (torch.nn.MarginRankingLoss).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> x1, x2, y = jaring.tensor([2.0]), jaring.tensor([1.0]), jaring.tensor([-1.0])
        >>> nn.MarginRankingLoss(margin=0.5)(x1, x2, y).item()
        1.5
    """

    def __init__(self, margin: float = 0.0, *, reduction: str = "mean") -> None:
        super().__init__(reduction)
        self.margin = margin

    def forward(self, input1: Any, input2: Any, target: Any) -> Tensor:
        return F.margin_ranking_loss(input1, input2, target, self.margin, reduction=self.reduction)


class HingeEmbeddingLoss(_Loss):
    """x where y is 1, max(0, margin - x) where y is -1 (torch.nn.HingeEmbeddingLoss).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.HingeEmbeddingLoss()(jaring.tensor([0.25, 0.5]), jaring.tensor([1.0, -1.0])).item()
        0.375
    """

    def __init__(self, margin: float = 1.0, *, reduction: str = "mean") -> None:
        super().__init__(reduction)
        self.margin = margin

    def forward(self, input: Any, target: Any) -> Tensor:
        return F.hinge_embedding_loss(input, target, self.margin, reduction=self.reduction)


class SoftMarginLoss(_Loss):
    """log(1 + exp(-y x)) for y in {-1, 1} (torch.nn.SoftMarginLoss).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> round(nn.SoftMarginLoss()(jaring.tensor([0.0]), jaring.tensor([1.0])).item(), 4)  # log 2
        0.6931
    """

    def forward(self, input: Any, target: Any) -> Tensor:
        return F.soft_margin_loss(input, target, reduction=self.reduction)


class MultiLabelSoftMarginLoss(_Loss):
    """Per-class logistic loss averaged over the classes, with an optional class weight
    (torch.nn.MultiLabelSoftMarginLoss).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> loss_fn = nn.MultiLabelSoftMarginLoss(weight=[1.0, 2.0])
        >>> round(loss_fn(jaring.tensor([[0.0, 0.0]]), jaring.tensor([[1.0, 0.0]])).item(), 4)
        1.0397
    """

    def __init__(self, weight: Any = None, *, reduction: str = "mean") -> None:
        super().__init__(reduction)
        self._weights(weight=weight)

    def forward(self, input: Any, target: Any) -> Tensor:
        return F.multilabel_soft_margin_loss(input, target, self.weight, reduction=self.reduction)


class MultiMarginLoss(_Loss):
    """The multi-class hinge loss, p = 1 or 2, with an optional class weight
    (torch.nn.MultiMarginLoss).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.MultiMarginLoss()(jaring.tensor([[0.1, 0.2, 0.4, 0.8]]), jaring.tensor([3])).item()
        0.32499998807907104
    """

    def __init__(
        self, p: int = 1, margin: float = 1.0, weight: Any = None, *, reduction: str = "mean"
    ) -> None:
        super().__init__(reduction)
        if p not in (1, 2) or isinstance(p, bool):
            raise ValueError(f"MultiMarginLoss: only p == 1 and p == 2 supported, got {p!r}")
        self.p, self.margin = p, margin
        self._weights(weight=weight)

    def forward(self, input: Any, target: Any) -> Tensor:
        return F.multi_margin_loss(input, target, self.p, self.margin, self.weight, reduction=self.reduction)


class MultiLabelMarginLoss(_Loss):
    """The multi-label hinge loss; each target row lists class indices up to the first -1
    (torch.nn.MultiLabelMarginLoss).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> scores, target = jaring.tensor([[0.1, 0.2, 0.4, 0.8]]), jaring.tensor([[3, 0, -1, 1]])
        >>> round(nn.MultiLabelMarginLoss()(scores, target).item(), 4)
        0.85
    """

    def forward(self, input: Any, target: Any) -> Tensor:
        return F.multilabel_margin_loss(input, target, reduction=self.reduction)


class CosineEmbeddingLoss(_Loss):
    """1 - cos(x1, x2) where y is 1, max(0, cos - margin) where y is -1
    (torch.nn.CosineEmbeddingLoss).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> a, b = jaring.tensor([[1.0, 0.0]]), jaring.tensor([[0.0, 1.0]])
        >>> nn.CosineEmbeddingLoss()(a, b, jaring.tensor([1.0])).item()
        1.0
    """

    def __init__(self, margin: float = 0.0, *, reduction: str = "mean") -> None:
        super().__init__(reduction)
        self.margin = margin

    def forward(self, input1: Any, input2: Any, target: Any) -> Tensor:
        return F.cosine_embedding_loss(input1, input2, target, self.margin, reduction=self.reduction)


class TripletMarginLoss(_Loss):
    """max(0, margin + d(anchor, positive) - d(anchor, negative)) with the p-norm pairwise
    distance; swap=True takes the smaller of d(a, n) and d(p, n) (torch.nn.TripletMarginLoss).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> a, pos = jaring.tensor([[0.0, 0.0]]), jaring.tensor([[1.0, 0.0]])
        >>> neg = jaring.tensor([[0.0, 1.5]])
        >>> loss_fn = nn.TripletMarginLoss(eps=0.0)
        >>> loss_fn, loss_fn(a, pos, neg).item()
        (TripletMarginLoss(eps=0.0), 0.5)
    """

    def __init__(
        self,
        margin: float = 1.0,
        p: float = 2.0,
        eps: float = 1e-6,
        swap: bool = False,
        *,
        reduction: str = "mean",
    ) -> None:
        super().__init__(reduction)
        if isinstance(margin, bool) or not isinstance(margin, (int, float)) or margin <= 0:
            raise ValueError(f"TripletMarginLoss: margin must be greater than 0, got {margin!r}")
        self.margin, self.p, self.eps, self.swap = margin, p, eps, swap

    def forward(self, anchor: Any, positive: Any, negative: Any) -> Tensor:
        return F.triplet_margin_loss(
            anchor, positive, negative, self.margin, self.p, self.eps, self.swap, reduction=self.reduction
        )


class PoissonNLLLoss(_Loss):
    """The Poisson negative log-likelihood of counts; log_input=True takes log-rates, full=True
    adds the Stirling term (torch.nn.PoissonNLLLoss).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.PoissonNLLLoss()(jaring.tensor([0.0]), jaring.tensor([1.0])).item()
        1.0
    """

    def __init__(
        self, log_input: bool = True, full: bool = False, *, eps: float = 1e-8, reduction: str = "mean"
    ) -> None:
        super().__init__(reduction)
        self.log_input, self.full, self.eps = log_input, full, eps

    def forward(self, log_input: Any, target: Any) -> Tensor:
        return F.poisson_nll_loss(
            log_input, target, self.log_input, self.full, eps=self.eps, reduction=self.reduction
        )


class GaussianNLLLoss(_Loss):
    """The Gaussian negative log-likelihood of `target` given a mean and a variance
    (torch.nn.GaussianNLLLoss); var is held at eps or more.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.GaussianNLLLoss()(jaring.tensor([0.0]), jaring.tensor([1.0]), jaring.tensor([1.0])).item()
        0.5
    """

    def __init__(self, *, full: bool = False, eps: float = 1e-6, reduction: str = "mean") -> None:
        super().__init__(reduction)
        self.full, self.eps = full, eps

    def forward(self, input: Any, target: Any, var: Any) -> Tensor:
        return F.gaussian_nll_loss(input, target, var, self.full, self.eps, self.reduction)
