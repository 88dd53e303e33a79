"""What both directions of the PyTorch bridge share: importing torch, its adapter modules, arrays.

torch is optional: it is imported on first use, with a clear error when it is missing.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.ops.geometry import same_padding


class TorchConversionError(ValueError):
    """A model or state_dict that cannot move between jaring and PyTorch; the message names the layer.

    Examples:
        >>> import torch
        >>> from jaring.io import from_torch
        >>> from_torch(torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.LocalResponseNorm(2)))
        Traceback (most recent call last):
            ...
        jaring.io.torch.adapters.TorchConversionError: layer '1' (LocalResponseNorm...): unsupported layer...
    """


def import_torch() -> Any:
    try:
        import torch
    except ImportError:
        raise ImportError(
            "jaring.io.from_torch / to_torch need PyTorch, which is not installed: pip install torch"
        ) from None
    return torch


@functools.cache
def torch_adapters() -> dict[str, type]:
    """The small torch modules that make torch behave like the jaring layers (built on first use)."""
    torch = import_torch()

    class RecurrentLayer(torch.nn.Module):
        """A batch-first torch RNN/LSTM/GRU returning the whole output sequence (return_sequences)
        or the final hidden state, both directions side by side, as jaring's layers do."""

        def __init__(self, rnn: Any, return_sequences: bool = False) -> None:
            super().__init__()
            self.rnn, self.return_sequences = rnn, bool(return_sequences)

        def forward(self, x: Any) -> Any:
            out, h = self.rnn(x)
            if self.return_sequences:
                return out
            h = h[0] if isinstance(h, tuple) else h
            return torch.cat(list(h[-2:] if self.rnn.bidirectional else h[-1:]), dim=-1)

        def extra_repr(self) -> str:
            return f"return_sequences={self.return_sequences}"

    class Permute(torch.nn.Module):
        """x.permute(dims): NHWC <-> NCHW at the edges of a channels-last model's image layers."""

        def __init__(self, dims: tuple) -> None:
            super().__init__()
            self.dims = tuple(dims)

        def forward(self, x: Any) -> Any:
            return x.permute(*self.dims)

        def extra_repr(self) -> str:
            return f"dims={self.dims}"

    class SamePadding(torch.nn.Module):
        """Zero padding with TensorFlow's "same" rule (the odd pixel bottom/right), from the input size."""

        def __init__(self, kernel_size: tuple, stride: tuple, dilation: tuple) -> None:
            super().__init__()
            self.kernel_size, self.stride, self.dilation = kernel_size, stride, dilation

        def forward(self, x: Any) -> Any:
            rows = same_padding(x.shape[2], self.kernel_size[0], self.stride[0], self.dilation[0])
            cols = same_padding(x.shape[3], self.kernel_size[1], self.stride[1], self.dilation[1])
            return torch.nn.functional.pad(x, (*cols, *rows))

    for cls in (RecurrentLayer, Permute, SamePadding):
        cls.__module__, cls.__qualname__ = __name__, cls.__name__  # so pickle finds them here
    return {cls.__name__: cls for cls in (RecurrentLayer, Permute, SamePadding)}


def __getattr__(name: str) -> type:
    """`jaring.io.torch.RecurrentLayer` etc., created when first asked for (they need torch)."""
    if name in ("RecurrentLayer", "Permute", "SamePadding"):
        return torch_adapters()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def to_numpy(value: Any) -> np.ndarray:
    """A NumPy array from a jaring Tensor, a torch tensor or an array."""
    if isinstance(value, Tensor):
        return np.asarray(backend.to_numpy(value.data))
    if hasattr(value, "detach"):
        return value.detach().cpu().numpy()
    return np.asarray(value)
