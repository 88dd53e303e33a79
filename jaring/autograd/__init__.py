"""The autodiff engine: Tensor, Function, backward and gradcheck."""

from jaring.autograd.tensor import Tensor
from jaring.autograd.function import (
    Context,
    Function,
    enable_grad,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)
from jaring.autograd.gradcheck import GradcheckError, gradcheck

__all__ = [
    "Context",
    "Function",
    "GradcheckError",
    "Tensor",
    "enable_grad",
    "gradcheck",
    "is_grad_enabled",
    "no_grad",
    "set_grad_enabled",
]
