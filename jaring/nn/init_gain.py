"""The numbers initialisers scale by: torch's gain per activation and torch's fans of a weight.

Shared by the Keras-style factories of jaring.nn.init and torch's in-place spellings in
jaring/nn/init_torch.py. Fans are torch's `_calculate_fan_in_and_fan_out`: dim 1 is fan_in,
dim 0 fan_out, each times the product of dims 2: (the receptive field of a conv kernel).
"""

from __future__ import annotations

import math
from typing import Any

GAINS = {
    "linear": 1.0, "identity": 1.0, "conv": 1.0, "conv1d": 1.0, "conv2d": 1.0, "conv3d": 1.0,
    "conv_transpose1d": 1.0, "conv_transpose2d": 1.0, "conv_transpose3d": 1.0,
    "sigmoid": 1.0, "tanh": 5.0 / 3, "relu": math.sqrt(2.0),
}  # fmt: skip


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The scale torch.nn.init recommends for an activation (sqrt(2) for relu, 5/3 for tanh).

    Examples:
        >>> from jaring import nn
        >>> round(nn.init.calculate_gain("leaky_relu", 0.2), 4)
        1.3868
    """
    if nonlinearity == "leaky_relu":
        if param is not None and (isinstance(param, bool) or not isinstance(param, (int, float))):
            raise ValueError(f"negative_slope {param} not a valid number")
        slope = 0.01 if param is None else float(param)
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 0.75
    if nonlinearity not in GAINS:
        raise ValueError(
            f"unknown nonlinearity {nonlinearity!r}; choose from {sorted([*GAINS, 'leaky_relu', 'selu'])}"
        )
    return GAINS[nonlinearity]


def _calculate_fan_in_and_fan_out(tensor: Any) -> tuple[int, int]:
    """(fan_in, fan_out) as torch computes them: (dim 1, dim 0) times the product of dims 2:.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.init._calculate_fan_in_and_fan_out(jaring.empty(8, 3, 5, 5))
        (75, 200)
    """
    shape = tuple(tensor.shape)
    if len(shape) < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def _calculate_correct_fan(tensor: Any, mode: str) -> int:
    mode = mode.lower() if isinstance(mode, str) else mode
    valid_modes = ["fan_in", "fan_out"]
    if mode not in valid_modes:
        raise ValueError(f"Mode {mode} not supported, please use one of {valid_modes}")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


__all__ = ["GAINS", "calculate_gain"]
