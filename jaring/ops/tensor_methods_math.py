"""Tensor methods for torch's further elementwise math: x.reciprocal(), x.xlogy(y), x.atan2(y),
x.logit(), x.lgamma(), x.copysign(y), x.addcmul(t1, t2, value=...), x.softplus(), ...

Each is the op's function itself (self is its first argument); `jaring/ops/tensor_methods.py`
installs them with the others.
"""

from __future__ import annotations

from typing import Any

from jaring.autograd.tensor import Tensor
from jaring.ops import activation, angles, arith_aliases, arith_composed, exp_log, sign_bits, special


def softplus(self: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """F.softplus(self, beta, threshold) as a method (torch has it only in F).

    Examples:
        >>> import jaring
        >>> jaring.tensor([0.0, 30.0]).softplus()
        tensor([ 0.6931, 30.    ])
    """
    return activation.softplus(self, beta=beta, threshold=threshold)


_NAMES = {
    special: "erfinv lgamma digamma logit sinc xlogy",
    angles: "atan2 arctan2 hypot deg2rad rad2deg",
    sign_bits: "copysign signbit heaviside nextafter sgn",
    arith_composed: "reciprocal float_power ldexp addcmul addcdiv",
    arith_aliases: "true_divide negative positive clamp_min clamp_max",
    exp_log: "logaddexp2",
}

METHODS: dict[str, Any] = {
    name: getattr(module, name) for module, names in _NAMES.items() for name in names.split()
}
METHODS["softplus"] = softplus
