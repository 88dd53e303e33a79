"""The autodiff engine: Tensor, Function, backward, grad, tensor hooks and gradcheck."""

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
from jaring.autograd.gradients import backward, grad
from jaring.autograd.hooks import RemovableHandle

__all__ = [
    "Context",
    "Function",
    "GradcheckError",
    "RemovableHandle",
    "Tensor",
    "backward",
    "enable_grad",
    "grad",
    "gradcheck",
    "is_grad_enabled",
    "no_grad",
    "set_grad_enabled",
]
