"""Seeds: every random thing in jaring takes `seed=` (an int, a NumPy Generator or a jaring.Generator).

Without a seed it draws from one process-wide Generator, which `manual_seed` resets, so a
whole script becomes reproducible with a single call. torch.Generator's counterpart, which
wraps a NumPy Generator, lives one floor up in jaring/generator.py.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_global = np.random.default_rng()


def manual_seed(seed: int) -> None:
    """Reset the process-wide generator used when no seed is given (seed: an integer >= 0).

    Examples:
        >>> import jaring
        >>> jaring.manual_seed(0)
        >>> first = jaring.randn(3).numpy()
        >>> jaring.manual_seed(0)
        >>> bool((jaring.randn(3).numpy() == first).all())
        True
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise TypeError(f"manual_seed needs an integer >= 0, got {seed!r:.80}")
    global _global
    _global = np.random.default_rng(seed)


def get_rng(seed: Any = None) -> np.random.Generator:
    """A NumPy Generator from an int seed, the Generator itself (a jaring.Generator's own one),
    or the global one for None."""
    if seed is None:
        return _global
    if isinstance(seed, np.random.Generator):
        return seed
    numpy_generator = getattr(seed, "numpy_generator", None)  # a jaring.Generator (jaring/generator.py)
    if isinstance(numpy_generator, np.random.Generator):
        return numpy_generator
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        if seed < 0:
            raise ValueError(f"seed must be an integer >= 0, a numpy Generator or None, got {seed}")
        return np.random.default_rng(int(seed))
    raise TypeError(
        f"seed must be an int, a numpy Generator or None, or a jaring.Generator; got {type(seed).__name__}"
    )
