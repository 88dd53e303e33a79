"""pairwise_distance: the p-norm of x1 - x2 + eps over the last axis, row by row (torch's).

The two inputs broadcast; the norm runs over the innermost axis of the broadcast result, and
the small eps added to the difference keeps the norm's gradient defined when x1 == x2, as in
torch.nn.functional.pairwise_distance. The gradient is that of `norm` (PNorm, sum, max).
"""

from __future__ import annotations

from typing import Any

from jaring.autograd.tensor import Tensor
from jaring.ops.common import floating
from jaring.ops.loss_arguments import broadcast_shapes, check_number, check_p
from jaring.ops.tensor_methods_torch import norm


def pairwise_distance(x1: Any, x2: Any, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> Tensor:
    """||x1 - x2 + eps||_p over the last axis of the broadcast inputs (torch's pairwise_distance).

    x1 (N, D) and x2 (N, D) or (D,) give N distances; 1-D inputs give one (a 0-d tensor).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> a, b = jaring.tensor([[0.0, 0.0], [1.0, 1.0]]), jaring.tensor([[3.0, 4.0], [1.0, 1.0]])
        >>> F.pairwise_distance(a, b, eps=0.0).tolist()
        [5.0, 0.0]
        >>> F.pairwise_distance(a, b, p=1, eps=0.0, keepdim=True).shape
        (2, 1)
    """
    op = "pairwise_distance"
    x1, x2 = floating(x1), floating(x2)
    p = check_p(op, p)
    eps = check_number(op, "eps", eps)
    broadcast_shapes(op, x1=x1, x2=x2)
    return norm(x1 - x2 + eps, p, -1 if max(x1.ndim, x2.ndim) else None, keepdim=keepdim)
