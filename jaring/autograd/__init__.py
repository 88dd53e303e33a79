"""The autodiff engine: Tensor, Function, backward and gradcheck."""

# Tensor must load first: its module pulls in the ops, which subclass Function and need Tensor.
from jaring.autograd.tensor import Tensor  # isort: skip
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
