"""torch's lazy layers: LazyLinear, LazyConv1d, LazyConv2d, LazyBatchNorm1d and LazyBatchNorm2d.

They leave out the input size (in_features, in_channels, num_features) and read it from the
first input. Until then their weights are `UninitializedParameter`s (and running statistics
`UninitializedBuffer`s): parameters() yields them, as torch's, an optimizer refuses them, and
the layer is not `built`, so that `model.build(input_shape)` and `fit` materialise it first.

On the first forward the layer builds the plain layer it stands for (`cls_to_become`: Linear,
Conv1d, Conv2d, BatchNorm1d, BatchNorm2d) with the same arguments and seed, so its weights are
those that layer would draw; it then takes that layer's attributes and class, as torch swaps
`__class__`. The placeholder objects stay the parameters (filled in, now plain Parameters), so a
reference taken before, a frozen requires_grad or a hook on the module carries over.

Loading a state dict into a layer that is not materialised yet reads the input size from the
dict's weights, as torch's load hook does: LazyLinear's weight (out, in), a lazy conv's weight
(out, in / groups, *kernel), a lazy batch norm's weight, bias or running statistics (C,).
The layer then becomes the plain layer and takes the loaded values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.nn.batchnorm_torch import BatchNorm1d, BatchNorm2d
from jaring.nn.conv_torch import Conv1d, Conv2d
from jaring.nn.linear import Linear
from jaring.nn.module import Module
from jaring.nn.parameter import Parameter


def _empty(dtype: Any) -> np.ndarray:
    return np.empty((0,), backend.get_default_dtype() if dtype is None else np.dtype(dtype))


class UninitializedParameter(Parameter):
    """A parameter whose shape a lazy layer learns from its first input (torch's name); the
    layer's first forward fills it in and makes it a plain Parameter.

    Examples:
        >>> from jaring import nn
        >>> layer = nn.LazyLinear(3)
        >>> isinstance(layer.weight, nn.UninitializedParameter)
        True
    """

    __slots__ = ()

    def __init__(self, requires_grad: bool = True, dtype: Any = None) -> None:
        super().__init__(_empty(dtype), requires_grad=requires_grad)

    def materialize(self, data: Any) -> None:
        """Take `data` as the parameter's values and become a plain Parameter."""
        self.data = data
        self.__class__ = Parameter

    def __repr__(self) -> str:
        return "<UninitializedParameter>"


class UninitializedBuffer(Tensor):
    """A buffer (running statistics) whose shape a lazy layer learns from its first input."""

    __slots__ = ()

    def __init__(self, dtype: Any = None) -> None:
        super().__init__(_empty(dtype))

    def materialize(self, data: Any) -> None:
        """Take `data` as the buffer's values and become a plain Tensor."""
        self.data = data
        self.__class__ = Tensor

    def __repr__(self) -> str:
        return "<UninitializedBuffer>"


class _Lazy(Module):
    """What the lazy layers share: placeholders, and becoming `cls_to_become` on the first input.

    A subclass names the placeholders, stores the plain layer's arguments but the input size in
    `_arguments`, and says how to read that size from an input (`_input_size`).
    """

    cls_to_become: type

    def _placeholders(self, parameters: tuple, buffers: tuple, dtype: Any) -> None:
        self._dtype = dtype  # `to(dtype)` before the first call updates it (module_config.set_build_dtype)
        for name in ("weight", "bias"):
            self.register_parameter(name, UninitializedParameter(dtype=dtype) if name in parameters else None)
        for name in buffers:
            self.register_buffer(name, UninitializedBuffer(dtype=dtype))

    @property
    def built(self) -> bool:
        """False: the weights wait for the first input (a materialised layer is a plain one)."""
        return False

    def has_uninitialized_params(self) -> bool:
        """True until the first forward (torch's LazyModuleMixin method)."""
        return True

    def _input_size(self, x: Any) -> int:
        raise NotImplementedError

    def _size_from_state(self, state: Mapping, prefix: str) -> int | None:
        """The input size that `state`'s entries for this layer imply, or None without them."""
        raise NotImplementedError

    def initialize_parameters(self, x: Any) -> None:
        """Materialise the weights for inputs like `x` and become the plain layer (torch's name;
        the first forward calls it)."""
        self.become(self.plain_layer(self._input_size(x)))
        if isinstance(x, Tensor) and backend.device_of(x.data) != "cpu":
            self.to(backend.device_of(x.data))

    def plain_layer_from_state(self, state: Mapping, prefix: str) -> Module | None:
        """The plain layer that loading `state` (this layer's keys start with `prefix`) makes
        of this one, not adopted yet, or None when `state` tells no input size.
        Module.load_state_dict checks the loaded shapes against it before `become`."""
        size = self._size_from_state(state, prefix)
        return None if size is None else self.plain_layer(size)

    def plain_layer(self, size: int) -> Module:
        """The plain layer for input size `size`, with this layer's arguments, seed and dtype."""
        placeholders = [t for t in (*self._parameters.values(), *self._buffers.values()) if t is not None]
        dtype = placeholders[0].dtype if placeholders else self._dtype
        if self._dtype is None and dtype == backend.get_default_dtype():
            dtype = None  # as the plain layer built without a dtype, config and repr included
        return self.cls_to_become(size, **self._arguments, dtype=dtype)

    def become(self, real: Module) -> None:
        """Take `real`'s attributes and class, keeping the placeholder objects as its parameters."""
        state = dict(real.__dict__)
        state["training"] = self.training
        if "_hooks" in self.__dict__:
            state["_hooks"] = self._hooks
        for table in ("_parameters", "_buffers"):
            own = getattr(self, table)
            for name, value in state[table].items():
                old = own.get(name)
                if value is not None and isinstance(old, (UninitializedParameter, UninitializedBuffer)):
                    old.materialize(value.data)
                    state[table][name] = state[name] = old
        self.__dict__.clear()
        self.__dict__.update(state)
        self.__class__ = type(real)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        if not args:
            raise TypeError(f"{type(self).__name__}.forward needs the input tensor")
        self.initialize_parameters(args[0])
        return self.forward(*args, **kwargs)  # the plain layer's forward, now


def _state_shape(state: Mapping, *keys: str) -> tuple:
    """The shape of the first of `keys` in `state` (a Tensor, array or nested list), () if none."""
    for key in keys:
        if key in state:
            value = state[key]
            value = value.data if isinstance(value, Tensor) else value
            try:
                return tuple(value.shape) if hasattr(value, "shape") else np.shape(value)
            except (TypeError, ValueError):  # ragged or not an array: load_state_dict reports it
                return ()
    return ()


def _positive(n: Any) -> int | None:
    return int(n) if isinstance(n, int | np.integer) and n > 0 else None


def _shape(layer: Module, x: Any, dims: tuple | None, layout: str) -> tuple:
    """The input's shape, or a ValueError when it has no ndim in `dims` (None: any but 0)."""
    shape = tuple(x.shape) if hasattr(x, "shape") else np.shape(x)
    if (len(shape) not in dims if dims else not shape) or min(shape, default=0) < 1:
        raise ValueError(f"{type(layer).__name__} expected input {layout}, got shape {shape}")
    return shape


class LazyLinear(_Lazy):
    """torch.nn.LazyLinear: a Linear whose in_features is the last size of its first input.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> layer = nn.LazyLinear(3, seed=0)
        >>> layer(jaring.ones(2, 5)).shape, type(layer).__name__, layer.weight.shape
        ((2, 3), 'Linear', (3, 5))
    """

    cls_to_become = Linear

    def __init__(self, out_features: int, bias: bool = True, seed: Any = None, dtype: Any = None) -> None:
        super().__init__()
        Linear(1, out_features, bias, seed=0)  # checks the arguments now, as torch's constructor would
        self.out_features = int(out_features)
        self._arguments = dict(out_features=self.out_features, bias=bias, seed=seed)
        self._placeholders(("weight", "bias") if bias else ("weight",), (), dtype)

    def _input_size(self, x: Any) -> int:
        return _shape(self, x, None, "(..., in_features)")[-1]

    def _size_from_state(self, state: Mapping, prefix: str) -> int | None:
        shape = _state_shape(state, prefix + "weight")  # (out_features, in_features)
        return _positive(shape[1]) if len(shape) == 2 else None


class _LazyConv(_Lazy):
    """LazyConv1d and LazyConv2d: in_channels is dimension 1 of the first input (0 unbatched)."""

    _dims: tuple = ()
    _layout = ""

    def _setup(self, out_channels: int, arguments: dict, dtype: Any) -> None:
        self.cls_to_become(arguments["groups"], out_channels, **arguments, seed=0)  # checks them now
        self.out_channels = int(out_channels)
        self._arguments = dict(out_channels=self.out_channels, **arguments)
        self._placeholders(("weight", "bias") if arguments["bias"] else ("weight",), (), dtype)

    def _input_size(self, x: Any) -> int:
        shape = _shape(self, x, self._dims, self._layout)
        return shape[1] if len(shape) == self._dims[-1] else shape[0]

    def _size_from_state(self, state: Mapping, prefix: str) -> int | None:
        shape = _state_shape(state, prefix + "weight")  # (out, in_channels / groups, *kernel)
        if len(shape) != self._dims[-1]:
            return None
        size = _positive(shape[1])
        return None if size is None else size * self._arguments["groups"]


class LazyConv1d(_LazyConv):
    """torch.nn.LazyConv1d: a Conv1d whose in_channels is the C of its first (N, C, L) input.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> conv = nn.LazyConv1d(4, kernel_size=3, seed=0)
        >>> conv(jaring.ones(2, 6, 10)).shape, conv.weight.shape
        ((2, 4, 8), (4, 6, 3))
    """

    cls_to_become = Conv1d
    _dims = (3,)
    _layout = "(N, C, L)"

    def __init__(
        self,
        out_channels: int,
        kernel_size: int,
        stride: int = 1,
        padding: int | str = 0,
        dilation: int = 1,
        groups: int = 1,
        bias: bool = True,
        seed: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        arguments = dict(
            kernel_size=kernel_size, stride=stride, padding=padding, dilation=dilation, groups=groups
        )
        self._setup(out_channels, {**arguments, "bias": bias}, dtype)
        self._arguments["seed"] = seed


class LazyConv2d(_LazyConv):
    """torch.nn.LazyConv2d: a Conv2d whose in_channels is the C of its first (N, C, H, W) or
    (C, H, W) input.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> conv = nn.LazyConv2d(8, kernel_size=3, padding=1, seed=0)
        >>> conv(jaring.ones(2, 3, 5, 5)).shape, conv.weight.shape
        ((2, 8, 5, 5), (8, 3, 3, 3))
    """

    cls_to_become = Conv2d
    _dims = (3, 4)
    _layout = "(N, C, H, W) or (C, H, W)"

    def __init__(
        self,
        out_channels: int,
        kernel_size: int | tuple,
        stride: int | tuple = 1,
        padding: int | tuple | str = 0,
        dilation: int | tuple = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        seed: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        arguments = dict(
            kernel_size=kernel_size, stride=stride, padding=padding, dilation=dilation, groups=groups
        )
        self._setup(out_channels, {**arguments, "bias": bias, "padding_mode": padding_mode}, dtype)
        self._arguments["seed"] = seed


class _LazyBatchNorm(_Lazy):
    """LazyBatchNorm1d and LazyBatchNorm2d: num_features is dimension 1 of the first input."""

    _dims: tuple = ()
    _layout = ""

    def __init__(
        self,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self._arguments = dict(
            eps=eps, momentum=momentum, affine=affine, track_running_stats=track_running_stats
        )
        self.cls_to_become(1, **self._arguments)  # checks the arguments now
        buffers = ("running_mean", "running_var") if track_running_stats else ()
        self._placeholders(("weight", "bias") if affine else (), buffers, dtype)
        self.register_buffer("num_batches_tracked", np.zeros((), np.int64) if track_running_stats else None)

    def _input_size(self, x: Any) -> int:
        return _shape(self, x, self._dims, self._layout)[1]

    def _size_from_state(self, state: Mapping, prefix: str) -> int | None:
        names = ("weight", "bias", "running_mean", "running_var")
        shape = _state_shape(state, *(prefix + name for name in names))  # each (num_features,)
        return _positive(shape[0]) if len(shape) == 1 else None


class LazyBatchNorm1d(_LazyBatchNorm):
    """torch.nn.LazyBatchNorm1d: a BatchNorm1d whose num_features is the C of its first
    (N, C) or (N, C, L) input.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> norm = nn.LazyBatchNorm1d()
        >>> norm(jaring.randn(8, 3, seed=0)).shape, norm.running_mean.shape
        ((8, 3), (3,))
    """

    cls_to_become = BatchNorm1d
    _dims = (2, 3)
    _layout = "(N, C) or (N, C, L)"


class LazyBatchNorm2d(_LazyBatchNorm):
    """torch.nn.LazyBatchNorm2d: a BatchNorm2d whose num_features is the C of its first
    (N, C, H, W) input.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> norm = nn.LazyBatchNorm2d()
        >>> norm(jaring.ones(2, 4, 3, 3)).shape, norm.weight.shape
        ((2, 4, 3, 3), (4,))
    """

    cls_to_become = BatchNorm2d
    _dims = (4,)
    _layout = "(N, C, H, W)"
