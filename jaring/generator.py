"""jaring.Generator: torch.Generator's spelling, a seedable random source to pass as `generator=`.

It wraps a NumPy Generator (its `numpy_generator`), which jaring.random.get_rng hands to every
function that draws, so jaring's random functions need no change to accept one.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from jaring.backend import Device


_DEFAULT_SEED = 67280421310721  # torch's seed for a fresh torch.Generator(), so a fresh one is fixed too
_MASK = (1 << 64) - 1
_STATE_BYTES = 8 + 16 + 16 + 1 + 4  # seed, PCG64's state and increment, the buffered 32-bit draw


class Generator:
    """torch.Generator's counterpart: a seedable source of random numbers, passed as `generator=`.

    Everything in jaring that takes `generator=` or `seed=` (randperm, random_split, the random
    samplers, DataLoader(shuffle=True), nn.init, the random fills) accepts one and draws from it,
    so its state advances as in torch and re-seeding it repeats the numbers. A fresh Generator is
    seeded with torch's default seed, so it too gives the same numbers in every run. It wraps a
    NumPy PCG64 generator: the same seed gives the same numbers within jaring (`manual_seed(s)`
    then draws what `seed=s` draws), but not the numbers torch's Mersenne Twister gives.
    `device` is recorded ("cpu" or "cuda"); draws are made on the CPU either way and moved to the
    tensor's device.

    Examples:
        >>> import jaring
        >>> g = jaring.Generator().manual_seed(42)
        >>> first = jaring.randperm(5, generator=g).tolist()
        >>> first == jaring.randperm(5, generator=g.manual_seed(42)).tolist()
        True
        >>> g.initial_seed(), g.device
        (42, device(type='cpu'))
    """

    def __init__(self, device: Any = "cpu") -> None:
        self.device = Device(device)  # "cpu" or "cuda"; anything else is Device's ValueError
        self._seed = _DEFAULT_SEED
        self._rng = np.random.Generator(np.random.PCG64(_DEFAULT_SEED))

    def manual_seed(self, seed: int) -> Generator:
        """Reseed (torch's range: a negative seed counts from 2**64) and return the Generator itself.

        The NumPy generator inside is reseeded in place, so a sampler or DataLoader already
        holding this Generator sees the new seed, as in torch.
        """
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise RuntimeError(f"manual_seed expected a long, but got {type(seed).__name__}")
        if not -(1 << 63) <= seed <= _MASK:
            raise ValueError(f"manual_seed: the seed must fit in 64 bits, got {seed}")
        self._seed = int(seed) & _MASK
        self._rng.bit_generator.state = np.random.PCG64(self._seed).state
        return self

    def seed(self) -> int:
        """Reseed from the operating system's entropy and return the new seed (torch's)."""
        self.manual_seed(int.from_bytes(os.urandom(8), "little"))
        return self._seed

    def initial_seed(self) -> int:
        """The seed last given by manual_seed or seed (torch's default for a fresh Generator)."""
        return self._seed

    def get_state(self) -> np.ndarray:
        """The whole state as a 1-D uint8 NumPy array (torch: a uint8 tensor), for set_state."""
        state = self._rng.bit_generator.state
        inner = state["state"]
        parts = (
            self._seed.to_bytes(8, "little"),
            inner["state"].to_bytes(16, "little"),
            inner["inc"].to_bytes(16, "little"),
            bytes([state["has_uint32"]]),
            int(state["uinteger"]).to_bytes(4, "little"),
        )
        return np.frombuffer(b"".join(parts), dtype=np.uint8).copy()

    def set_state(self, new_state: Any) -> Generator:
        """Restore a state from get_state (a uint8 array, or a jaring uint8 Tensor of one); return self."""
        if not hasattr(new_state, "dtype"):
            raise TypeError(f"expected a uint8 array from get_state(), but got {type(new_state).__name__}")
        raw = np.asarray(new_state)
        if raw.dtype != np.uint8 or raw.ndim != 1:
            raise TypeError(
                f"RNG state must be a 1-D uint8 array, got dtype {raw.dtype} and shape {raw.shape}"
            )
        if raw.size != _STATE_BYTES:
            raise RuntimeError(f"expected an RNG state of {_STATE_BYTES} bytes, got {raw.size}")
        data = raw.tobytes()
        self._seed = int.from_bytes(data[:8], "little")
        self._rng.bit_generator.state = {
            "bit_generator": "PCG64",
            "state": {
                "state": int.from_bytes(data[8:24], "little"),
                "inc": int.from_bytes(data[24:40], "little"),
            },
            "has_uint32": data[40],
            "uinteger": int.from_bytes(data[41:45], "little"),
        }
        return self

    @property
    def numpy_generator(self) -> np.random.Generator:
        """The NumPy Generator the numbers come from (the same object for this Generator's life)."""
        return self._rng

    def __repr__(self) -> str:
        return f"jaring.Generator(device={str(self.device)!r}, initial_seed={self._seed})"
