"""Transforms: small callables that prepare images (or whole batches) before they reach a model.

They work on NumPy/CuPy arrays and on jaring Tensors (returning the same kind), without
recording a graph: data preparation needs no gradients. Images are channels-first (C, H, W),
or (N, C, H, W) for a batch, after `ToTensor`, as in torchvision.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.random import get_rng


def _unwrap(x: Any) -> tuple[Any, bool]:
    return (x.data, True) if isinstance(x, Tensor) else (x, False)


def _wrap(array: Any, was_tensor: bool) -> Any:
    return Tensor._from_op(array, None) if was_tensor else array


def _rng(transform: Any) -> np.random.Generator:
    # Unseeded transforms use the global generator as it is now, so jaring.manual_seed applies.
    return get_rng() if transform._rng is None else transform._rng


class Compose:
    """Apply several transforms in order: Compose([ToTensor(), Normalize(0.1307, 0.3081)]).

    Examples:
        >>> import numpy as np
        >>> from jaring.data import Compose, Lambda
        >>> Compose([Lambda(lambda x: x + 1), Lambda(lambda x: x * 10)])(np.array([1, 2]))
        array([20, 30])
    """

    def __init__(self, transforms: Sequence[Callable[[Any], Any]]) -> None:
        for t in transforms:
            if not callable(t):
                raise TypeError(f"Compose: every transform must be callable, got {type(t).__name__}")
        self.transforms = list(transforms)

    def __call__(self, x: Any) -> Any:
        for t in self.transforms:
            x = t(x)
        return x

    def __repr__(self) -> str:
        inner = "".join(f"\n    {t!r}," for t in self.transforms)
        return f"Compose([{inner}\n])"


class ToTensor:
    """uint8 images (0..255) -> float32 Tensor in [0, 1], channels-first like torchvision.

    One image: (H, W) -> (1, H, W) and (H, W, C) -> (C, H, W). With `batched=True` the first
    axis is the batch: (N, H, W) -> (N, 1, H, W) and (N, H, W, C) -> (N, C, H, W), which is the
    fast way to convert a whole DataLoader batch at once. Float input is only cast, not rescaled.

    Examples:
        >>> import numpy as np
        >>> from jaring.data import ToTensor
        >>> image = np.full((28, 28), 255, dtype=np.uint8)
        >>> t = ToTensor()(image)
        >>> t.shape, float(t.numpy().max())
        ((1, 28, 28), 1.0)
    """

    def __init__(self, batched: bool = False) -> None:
        self.batched = batched

    def __call__(self, image: Any) -> Tensor:
        array, _ = _unwrap(image)
        xp = backend.array_module(array)
        array = xp.asarray(array)
        lead = 1 if self.batched else 0
        if array.ndim == 2 + lead:
            array = xp.expand_dims(array, lead)
        elif array.ndim == 3 + lead:
            array = xp.moveaxis(array, -1, lead)
        else:
            expected = "(N, H, W) or (N, H, W, C)" if self.batched else "(H, W) or (H, W, C)"
            raise ValueError(f"ToTensor: expected an image of shape {expected}, got shape {array.shape}")
        if array.dtype == np.uint8:
            out = xp.multiply(array, np.float32(1 / 255), dtype=np.float32, order="C")
        else:
            out = array.astype(backend.get_default_dtype(), order="C", copy=False)
        return Tensor._from_op(out, None)

    def __repr__(self) -> str:
        return f"ToTensor(batched={self.batched})"


class Normalize:
    """(x - mean) / std per channel on channels-first data; scalars apply to every value.

    Examples:
        >>> import numpy as np
        >>> from jaring.data import Normalize
        >>> Normalize(0.5, 0.25)(np.array([0.5, 1.0], dtype=np.float32))
        array([0., 2.], dtype=float32)
    """

    def __init__(self, mean: float | Sequence[float], std: float | Sequence[float]) -> None:
        self.mean = np.asarray(mean, dtype=np.float32).reshape(-1)
        self.std = np.asarray(std, dtype=np.float32).reshape(-1)
        if np.any(self.std <= 0):
            raise ValueError(f"Normalize: std must be positive, got {std}")
        if self.mean.size != self.std.size and 1 not in (self.mean.size, self.std.size):
            raise ValueError(f"Normalize: mean has {self.mean.size} values but std has {self.std.size}")

    def __call__(self, x: Any) -> Any:
        array, was_tensor = _unwrap(x)
        channels = max(self.mean.size, self.std.size)
        if channels > 1 and (array.ndim < 3 or array.shape[-3] != channels):
            raise ValueError(
                f"Normalize: {channels} per-channel values need channels-first data "
                "(C, H, W) or (N, C, H, W) "
                f"with C = {channels}, got shape {array.shape}"
            )
        xp = backend.array_module(array)
        dtype = array.dtype if array.dtype.kind == "f" else backend.get_default_dtype()
        shape = (-1, 1, 1) if channels > 1 else (1,)
        mean = xp.asarray(self.mean.reshape(shape), dtype=dtype)
        std = xp.asarray(self.std.reshape(shape), dtype=dtype)
        return _wrap((array - mean) / std, was_tensor)

    def __repr__(self) -> str:
        return f"Normalize(mean={self.mean.tolist()}, std={self.std.tolist()})"


class Lambda:
    """Wrap any function as a transform: Lambda(lambda x: x.reshape(-1)).

    Examples:
        >>> import numpy as np
        >>> from jaring.data import Lambda
        >>> Lambda(lambda x: x.reshape(-1))(np.zeros((2, 3))).shape
        (6,)
    """

    def __init__(self, fn: Callable[[Any], Any]) -> None:
        if not callable(fn):
            raise TypeError(f"Lambda needs a callable, got {type(fn).__name__}")
        self.fn = fn

    def __call__(self, x: Any) -> Any:
        return self.fn(x)

    def __repr__(self) -> str:
        return f"Lambda({getattr(self.fn, '__name__', repr(self.fn))})"


class RandomHorizontalFlip:
    """Mirror images left-right with probability `p` (data augmentation), seeded for repeatability.

    Works on the last axis (W), so on (H, W), (C, H, W) or, with `batched=True`, on (N, ...)
    where each image of the batch gets its own coin flip.

    Examples:
        >>> import numpy as np
        >>> from jaring.data import RandomHorizontalFlip
        >>> image = np.arange(6).reshape(1, 2, 3)
        >>> RandomHorizontalFlip(p=1.0, seed=0)(image)[0, 0].tolist()
        [2, 1, 0]
    """

    def __init__(self, p: float = 0.5, seed: Any = None, batched: bool = False) -> None:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"RandomHorizontalFlip: p must lie in [0, 1], got {p}")
        self.p, self.batched = p, batched
        self._rng = None if seed is None else get_rng(seed)

    def __call__(self, x: Any) -> Any:
        array, was_tensor = _unwrap(x)
        if not self.batched:
            return _wrap(array[..., ::-1].copy(), was_tensor) if _rng(self).random() < self.p else x
        xp = backend.array_module(array)
        flip = xp.asarray(_rng(self).random(len(array)) < self.p)
        out = array.copy()
        out[flip] = array[flip][..., ::-1]
        return _wrap(out, was_tensor)

    def __repr__(self) -> str:
        return f"RandomHorizontalFlip(p={self.p}, batched={self.batched})"


class AddGaussianNoise:
    """Add N(0, std^2) noise to float data (a simple regulariser), seeded for repeatability.

    Examples:
        >>> import numpy as np
        >>> from jaring.data import AddGaussianNoise
        >>> x = np.zeros((2, 3), dtype=np.float32)
        >>> a, b = AddGaussianNoise(0.1, seed=0)(x), AddGaussianNoise(0.1, seed=0)(x)
        >>> a.shape, bool(np.array_equal(a, b)), bool(np.array_equal(a, x))
        ((2, 3), True, False)
    """

    def __init__(self, std: float = 0.1, seed: Any = None) -> None:
        if std < 0:
            raise ValueError(f"AddGaussianNoise: std must be >= 0, got {std}")
        self.std = std
        self._rng = None if seed is None else get_rng(seed)

    def __call__(self, x: Any) -> Any:
        array, was_tensor = _unwrap(x)
        if array.dtype.kind != "f":
            raise TypeError(f"AddGaussianNoise needs float data (apply ToTensor first), got {array.dtype}")
        noise = _rng(self).standard_normal(array.shape, dtype=np.float32).astype(array.dtype, copy=False)
        noise *= array.dtype.type(self.std)
        xp = backend.array_module(array)
        return _wrap(array + xp.asarray(noise), was_tensor)

    def __repr__(self) -> str:
        return f"AddGaussianNoise(std={self.std})"
