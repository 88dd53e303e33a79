"""CTCLoss, torch.nn.CTCLoss: the connectionist temporal classification loss as a module.

A thin call into jaring.functional.ctc_loss (jaring/ops/loss_ctc.py), with torch's constructor
arguments, defaults and call signature. It holds no parameters.
"""

from __future__ import annotations

from typing import Any

from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn.loss import _Loss
from jaring.validation import check_bool


class CTCLoss(_Loss):
    """The CTC loss of label sequences given (T, N, C) log-probabilities (torch.nn.CTCLoss).

    Call it as `loss_fn(log_probs, targets, input_lengths, target_lengths)`; see
    jaring.functional.ctc_loss for the shapes. reduction "mean" divides each sample's loss by
    its target length before averaging, as torch's; zero_infinity=True turns the inf loss of
    an impossible alignment (and its gradient) into 0.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> from jaring import nn
        >>> log_probs = F.log_softmax(jaring.zeros(3, 1, 2), axis=2)  # (T, N, C)
        >>> loss_fn = nn.CTCLoss(reduction="sum")
        >>> loss_fn, round(loss_fn(log_probs, [[1]], [3], [1]).item(), 4)
        (CTCLoss(reduction='sum'), 0.2877)
    """

    def __init__(self, blank: int = 0, reduction: str = "mean", zero_infinity: bool = False) -> None:
        super().__init__(reduction)
        if isinstance(blank, bool) or not isinstance(blank, int) or blank < 0:
            raise ValueError(f"CTCLoss: blank must be a class index (an int >= 0), got {blank!r}")
        self.blank = blank
        self.zero_infinity = check_bool("CTCLoss", "zero_infinity", zero_infinity)

    def forward(self, log_probs: Any, targets: Any, input_lengths: Any, target_lengths: Any) -> Tensor:
        return F.ctc_loss(
            log_probs,
            targets,
            input_lengths,
            target_lengths,
            blank=self.blank,
            reduction=self.reduction,
            zero_infinity=self.zero_infinity,
        )
