"""Parameter: the Tensor a Module owns and trains (jaring/nn/module.py registers it on assignment)."""

from __future__ import annotations

from typing import Any

from jaring.autograd.tensor import Tensor
from jaring.validation import check_bool


class Parameter(Tensor):
    """A Tensor that a Module owns and trains: it requires grad unless told otherwise.

    Examples:
        >>> from jaring import nn
        >>> nn.Parameter([[1.0, 2.0]])
        Parameter containing:
        tensor([[1., 2.]], requires_grad=True)
    """

    __slots__ = ()

    def __init__(self, data: Any, requires_grad: bool = True, dtype: Any = None) -> None:
        requires_grad = check_bool("Parameter", "requires_grad", requires_grad)
        super().__init__(data, requires_grad=requires_grad, dtype=dtype)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()
