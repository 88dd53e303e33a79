"""All parameters as one flat vector and back, as torch.nn.utils does it (evolution strategies,
second-order methods, hypernetworks, trust-region RL):

    vec = nn.utils.parameters_to_vector(model.parameters())  # differentiable
    nn.utils.vector_to_parameters(vec * 0.5, model.parameters())  # writes the values in place
"""

from __future__ import annotations

from typing import Any

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.ops.shape import concat, reshape

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def _parameters(what: str, parameters: Any) -> list:
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    parameters = list(parameters)
    for p in parameters:
        if not isinstance(p, Tensor):
            raise TypeError(f"{what}: expected Tensors (model.parameters()), but got: {type(p).__name__}")
    devices = {p.device for p in parameters}
    if len(devices) > 1:
        raise TypeError(
            f"{what}: found two parameters on different devices, this is currently not supported "
            f"({sorted(devices)})"
        )
    return parameters


def parameters_to_vector(parameters: Any) -> Tensor:
    """Flatten every parameter and join them, in order, into one 1-d tensor (gradients flow back).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> layer = nn.Linear(2, 3, seed=0)
        >>> nn.utils.parameters_to_vector(layer.parameters()).shape  # 3 * 2 weights + 3 biases
        (9,)
    """
    parameters = _parameters("parameters_to_vector", parameters)
    if not parameters:
        raise RuntimeError("parameters_to_vector: expected a non-empty list of Tensors")
    return concat([reshape(p, -1) for p in parameters], axis=0)


def vector_to_parameters(vec: Any, parameters: Any) -> None:
    """Copy consecutive slices of the 1-d `vec` into the parameters, in order, in place (no graph).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> layer = nn.Linear(2, 1, seed=0)
        >>> nn.utils.vector_to_parameters(jaring.tensor([1.0, 2.0, 3.0]), layer.parameters())
        >>> layer.weight.tolist(), layer.bias.tolist()
        ([[1.0, 2.0]], [3.0])
    """
    what = "vector_to_parameters"
    if not isinstance(vec, Tensor):
        raise TypeError(f"{what}: expected a Tensor, but got: {type(vec).__name__}")
    if vec.ndim != 1:
        raise ValueError(f"{what}: vec must be 1-d, got shape {vec.shape}")
    parameters = _parameters(what, parameters)
    total = sum(p.size for p in parameters)
    if vec.shape[0] != total:
        raise RuntimeError(f"{what}: vec has {vec.shape[0]} elements but the parameters hold {total}")
    data, start = vec.data, 0
    for p in parameters:
        piece = data[start : start + p.size].reshape(p.shape)
        start += p.size
        if backend.array_module(piece) is not backend.array_module(p.data):
            raise TypeError(f"{what}: vec is on {vec.device} but a parameter is on {p.device}")
        if p.data.flags.writeable:
            p.data[...] = piece
        else:
            p.data = piece.astype(p.data.dtype, copy=True)
