"""jaring: a deep-learning library written from scratch on NumPy, for seeing every gradient."""

# Tensor first: importing it also loads the ops, which need the Tensor class defined.
from jaring.autograd.tensor import Tensor  # isort: skip
from jaring import backend, data, functional, memory, nn, optim
from jaring.autograd.creation import (
    arange,
    eye,
    full,
    ones,
    ones_like,
    rand,
    randn,
    tensor,
    zeros,
    zeros_like,
)
from jaring.autograd.function import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from jaring.autograd.gradcheck import GradcheckError, gradcheck
from jaring.backend import get_default_dtype, set_default_dtype
from jaring.errors import FileFormatError
from jaring.functional import cat, concat, matmul, split, stack, where
from jaring.random import manual_seed

__version__ = "0.1.0"

# Heavier parts load on first use (jaring.viz pulls in matplotlib, jaring.io safetensors).
_LAZY = ("io", "models", "training", "viz")


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return importlib.import_module(f"jaring.{name}")
    raise AttributeError(f"module 'jaring' has no attribute {name!r}")


__all__ = [
    "FileFormatError",
    "GradcheckError",
    "Tensor",
    "arange",
    "backend",
    "cat",
    "concat",
    "data",
    "enable_grad",
    "eye",
    "full",
    "functional",
    "get_default_dtype",
    "gradcheck",
    "is_grad_enabled",
    "manual_seed",
    "matmul",
    "memory",
    "nn",
    "no_grad",
    "ones",
    "ones_like",
    "optim",
    "rand",
    "randn",
    "set_default_dtype",
    "set_grad_enabled",
    "split",
    "stack",
    "tensor",
    "where",
    "zeros",
    "zeros_like",
]
