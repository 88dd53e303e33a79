"""Tensor: an n-dimensional array that remembers how it was computed, for reverse-mode autodiff.

`.data` is the raw ndarray (NumPy, or CuPy on a GPU), `.grad` the accumulated gradient (a
Tensor, after backward), `.requires_grad` whether gradients flow to it, `._ctx` the Context of
the op that produced it (None for leaves). The arithmetic operators and the methods that mirror
the functional ops (`+`, `@`, `x[i]`, `.sum()`, `.reshape()`...) are installed onto this class
from the floor above by `jaring.ops.tensor_methods.install_tensor_methods`, as Chainer installs
its Variable arithmetic, so the engine imports no op; the derivatives live with the ops.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from collections.abc import Callable, Iterator

import numpy as np

from jaring import backend
from jaring.autograd.conversion import check_array_dtype, numpy_array, tensor_dtype
from jaring.autograd import printing
from jaring.autograd.size import ElementCount, element_count

if TYPE_CHECKING:
    from jaring.autograd.hooks import RemovableHandle


def _as_array(data: Any, dtype: Any = None) -> Any:
    """Turn user data into an ndarray with jaring's dtype rules.

    Python floats and lists of floats become the default dtype (float32); NumPy/CuPy arrays and
    NumPy scalars keep their float dtype (np.float64(0.5) is float64, as in torch, though it is
    also a Python float); Python ints become int64; an explicit dtype always wins.
    """
    if isinstance(data, Tensor):
        data = data.data
    if type(data) is np.ndarray or backend.is_cupy_array(data):
        array = data
    elif isinstance(data, np.generic):
        array = np.asarray(data)
    else:
        if dtype is None and isinstance(data, (list, tuple)) and _has_tensor(data):
            raise TypeError("cannot build a tensor from a list of Tensors; use jaring.stack")
        array = numpy_array(data)
        if dtype is None and array.dtype.kind == "f":
            array = array.astype(backend.get_default_dtype(), copy=False)
    if dtype is not None:
        array = array.astype(tensor_dtype(dtype, array), copy=False)
    check_array_dtype(array)
    return array


def _has_tensor(items: Any) -> bool:
    return any(isinstance(i, Tensor) or (isinstance(i, (list, tuple)) and _has_tensor(i)) for i in items)


class Tensor:
    """An array with an optional gradient and a link to the op that produced it.

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([1.0, 2.0, 3.0], requires_grad=True)
        >>> y = (x * x).sum()
        >>> y.backward()
        >>> float(y), x.grad
        (14.0, tensor([2., 4., 6.]))
    """

    # Rarely set attributes are class-level defaults, so building an op's output sets only three.
    __slots__ = ("data", "requires_grad", "_ctx", "__dict__", "__weakref__")
    grad: Tensor | None = None
    name: str | None = None
    _retain = False
    _hooks: Any = None  # {handle id: hook}, made by register_hook (jaring/autograd/hooks.py)
    # In-place bookkeeping (jaring/autograd/versions.py): `_version` counts this tensor's
    # in-place ops (torch's version counter), `_stamps` holds the clock readings of the latest
    # ones, `_relinked` the reading of the last one that was recorded in the graph.
    _version = 0
    _stamps: tuple = ()
    _relinked = -1
    # NumPy must hand mixed expressions (ndarray + Tensor) to the Tensor's reflected operators.
    __array_ufunc__ = None
    __array_priority__ = 1000

    def __init__(
        self, data: Any, requires_grad: bool = False, dtype: Any = None, name: str | None = None
    ) -> None:
        self.data = _as_array(data, dtype)
        self._ctx = None
        self.requires_grad = False
        if name is not None:
            self.name = name
        if requires_grad:
            self.requires_grad_(True)

    @staticmethod
    def _from_op(data: Any, ctx: Any) -> "Tensor":
        """Fast constructor for op outputs: no dtype conversion, no checks."""
        return _new_tensor(data, ctx)

    # ----- attributes -------------------------------------------------------------------
    @property
    def shape(self) -> tuple:
        return self.data.shape

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def size(self) -> ElementCount:
        """The number of elements (NumPy's size); `x.size()` and `x.size(dim)` answer as torch's."""
        return element_count(self.data.shape)

    @property
    def device(self) -> str:
        return backend.device_of(self.data)

    @property
    def is_leaf(self) -> bool:
        """True for tensors no recorded op produced (torch's is_leaf): inputs, weights, constants."""
        return self._ctx is None

    @property
    def grad_fn(self) -> Any:
        """The backward node of the op that produced this tensor; None for a leaf."""
        if self._ctx is None:
            return None
        from jaring.autograd.grad_fn import GradFn

        return GradFn(self._ctx)

    def requires_grad_(self, flag: bool = True) -> "Tensor":
        """Mark a leaf as needing gradients; integer and boolean tensors refuse."""
        if flag and self.data.dtype.kind != "f":
            raise TypeError(
                f"only floating-point tensors can require gradients; this one is {self.data.dtype} "
                "(integer tensors hold indices and labels)"
            )
        if not flag and self._ctx is not None:
            raise RuntimeError("requires_grad can only be switched off on a leaf; use .detach()")
        self.requires_grad = bool(flag)
        return self

    def retain_grad(self) -> "Tensor":
        """Keep this non-leaf tensor's gradient in `.grad` after backward (for inspection).

        Examples:
            >>> import jaring
            >>> x = jaring.tensor([1.0, 2.0], requires_grad=True)
            >>> h = (x * 3).retain_grad()
            >>> (h ** 2).sum().backward()
            >>> h.grad.numpy(), x.grad.numpy()
            (array([ 6., 12.], dtype=float32), array([18., 36.], dtype=float32))
        """
        if not self.requires_grad:
            raise RuntimeError("retain_grad() on a tensor that does not require grad")
        self._retain = True
        return self

    # ----- autodiff ---------------------------------------------------------------------
    def backward(
        self,
        gradient: Any = None,
        retain_graph: bool | None = None,
        create_graph: bool = False,
        inputs: Any = None,
        *,
        grad: Any = None,
    ) -> None:
        """Accumulate d(self)/d(leaf) into every leaf's `.grad` that requires grad (only into
        `inputs` when given). `gradient` (or `grad=`) is needed for a non-scalar tensor.

        Examples:
            >>> import jaring
            >>> x = jaring.tensor([1.0, 2.0, 3.0], requires_grad=True)
            >>> (x ** 2).sum().backward()
            >>> x.grad.numpy()
            array([2., 4., 6.], dtype=float32)
        """
        from jaring.autograd.gradients import backward

        backward(
            self, grad if gradient is None else gradient, retain_graph, inputs, create_graph=create_graph
        )

    def register_hook(self, hook: Callable) -> RemovableHandle:
        """Call `hook(grad)` with the gradient flowing into this tensor during backward; it may
        return a replacement. Returns a handle whose `.remove()` takes the hook off.

        Examples:
            >>> import jaring
            >>> x = jaring.tensor([1.0, 2.0], requires_grad=True)
            >>> handle = x.register_hook(lambda grad: grad * 2)
            >>> (x * 3).sum().backward()
            >>> x.grad.numpy()
            array([6., 6.], dtype=float32)
            >>> handle.remove()
        """
        from jaring.autograd.hooks import register_hook

        return register_hook(self, hook)

    def detach(self) -> "Tensor":
        """The same data, cut from the graph (shares memory, requires no grad).

        Examples:
            >>> import jaring
            >>> x = jaring.tensor([1.0], requires_grad=True)
            >>> (x * 2).detach().requires_grad
            False
        """
        return Tensor._from_op(self.data, None)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradient: `.grad` becomes None, or with set_to_none=False its values are
        zeroed in place (the Tensor object kept), the two ways of torch's optimizers."""
        if set_to_none or self.grad is None:
            self.grad = None
        elif self.grad.data.flags.writeable:
            self.grad.data[...] = 0
        else:
            self.grad.data = backend.array_module(self.grad.data).zeros_like(self.grad.data)

    # ----- conversion -------------------------------------------------------------------
    def numpy(self) -> np.ndarray:
        """The data as a NumPy array (copied from the GPU when needed).

        Examples:
            >>> import jaring
            >>> jaring.tensor([[1, 2]]).numpy()
            array([[1, 2]])
        """
        return backend.to_numpy(self.data)

    def item(self) -> Any:
        """The value of a one-element tensor as a Python number.

        Examples:
            >>> import jaring
            >>> jaring.tensor([[2.5]]).item()
            2.5
        """
        if self.data.size != 1:
            raise ValueError(f"item() needs a one-element tensor, this one has shape {self.shape}")
        return self.data.reshape(()).item()

    def tolist(self) -> Any:
        """The data as nested Python lists.

        Examples:
            >>> import jaring
            >>> jaring.tensor([[1, 2], [3, 4]]).tolist()
            [[1, 2], [3, 4]]
        """
        return self.numpy().tolist()

    def float(self) -> "Tensor":
        return self.astype(np.float32)

    def double(self) -> "Tensor":
        return self.astype(np.float64)

    def long(self) -> "Tensor":
        return self.astype(np.int64)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        array = self.numpy()
        return array if dtype is None else array.astype(dtype)

    # ----- Python protocol --------------------------------------------------------------
    def __repr__(self) -> str:
        body = printing.format_array(self.numpy())
        extra = ""
        if self.dtype != backend.get_default_dtype() and self.dtype.kind == "f":
            extra += f", dtype={self.dtype}"
        if self._ctx is not None:
            extra += f", grad_fn=<{self._ctx.fn.__name__}>"
        elif self.requires_grad:
            extra += ", requires_grad=True"
        return f"tensor({body}{extra})"

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.shape[0]

    def __iter__(self) -> Iterator["Tensor"]:
        return (self[i] for i in range(len(self)))

    def __bool__(self) -> bool:
        if self.data.size != 1:
            raise ValueError(
                f"the truth value of a tensor with {self.data.size} elements is ambiguous; "
                "use .any() or .all()"
            )
        return bool(self.data.reshape(()))

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        """A one-element integer tensor used as an index, as torch's: `classes[pred.argmax()]`."""
        if self.data.size != 1 or self.dtype.kind not in "iub":
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    __hash__ = object.__hash__

    # Comparisons give boolean tensors and record no graph (they have no derivative).
    def __lt__(self, other: Any) -> "Tensor":
        return Tensor._from_op(self.data < _raw(other), None)

    def __le__(self, other: Any) -> "Tensor":
        return Tensor._from_op(self.data <= _raw(other), None)

    def __gt__(self, other: Any) -> "Tensor":
        return Tensor._from_op(self.data > _raw(other), None)

    def __ge__(self, other: Any) -> "Tensor":
        return Tensor._from_op(self.data >= _raw(other), None)

    def __eq__(self, other: Any) -> "Tensor":  # type: ignore[override]
        return Tensor._from_op(self.data == _raw(other), None)

    def __ne__(self, other: Any) -> "Tensor":  # type: ignore[override]
        return Tensor._from_op(self.data != _raw(other), None)


_object_new = object.__new__
_ndarray = np.ndarray


def _new_tensor(data: Any, ctx: Any) -> Tensor:
    """Build an op's output Tensor; NumPy scalars from full reductions become 0-d arrays."""
    t = _object_new(Tensor)
    if type(data) is not _ndarray and not backend.is_cupy_array(data):
        data = np.asarray(data)
    t.data = data
    t._ctx = ctx
    t.requires_grad = ctx is not None
    return t


def _raw(value: Any) -> Any:
    return value.data if isinstance(value, Tensor) else value
