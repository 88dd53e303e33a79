"""torch.nn.functional.channel_shuffle (ShuffleNet): interleave the channels of `groups` groups.

(N, C, *) is read as (N, groups, C / groups, *), those two axes swapped and flattened back, so
output channel j * groups + g is input channel g * (C / groups) + j. One reshape, one permute and
one reshape: the gradient is theirs.
"""

from __future__ import annotations

import numbers
from typing import Any

from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor
from jaring.ops.shape import permute, reshape


def check_groups(groups: Any) -> int:
    """groups as a positive int, or torch's error."""
    if isinstance(groups, bool) or not isinstance(groups, numbers.Integral):
        raise TypeError(
            f"channel_shuffle(): argument 'groups' (position 2) must be int, not {type(groups).__name__}"
        )
    if groups <= 0:
        raise RuntimeError(
            f"Number of groups to divide channels in must be positive. Value of groups:{groups}"
        )
    return int(groups)


def channel_shuffle(input: Any, groups: int) -> Tensor:
    """Shuffle the channels (axis 1) of (N, C, *) across `groups` groups, as torch's.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.arange(6.0).reshape(1, 6, 1)  # (N, C, L), channel c holds c
        >>> F.channel_shuffle(x, 2).reshape(6).tolist()
        [0.0, 3.0, 1.0, 4.0, 2.0, 5.0]
    """
    groups = check_groups(groups)
    x = as_tensor(input)
    if x.ndim < 3:
        raise RuntimeError(
            f"channel_shuffle expects input with > 2 dims, but got input with sizes {list(x.shape)}"
        )
    n, c, rest = x.shape[0], x.shape[1], tuple(x.shape[2:])
    if c % groups:
        raise RuntimeError(
            f"Number of channels must be divisible by groups. Got {c} channels and {groups} groups."
        )
    grouped = reshape(x, (n, groups, c // groups) + rest)
    swapped = permute(grouped, (0, 2, 1) + tuple(range(3, x.ndim + 1)))
    return reshape(swapped, x.shape)
