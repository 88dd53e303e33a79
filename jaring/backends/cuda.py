"""torch.backends.cuda: is GPU support there at all. jaring's is CuPy, so "built" means installed."""

import importlib.util


def is_built() -> bool:
    """Whether CuPy, jaring's GPU path, is installed (a GPU may still be missing: see
    jaring.cuda.is_available, which needs both). torch's meaning: built with CUDA support.

    Examples:
        >>> import jaring
        >>> jaring.backends.cuda.is_built() or not jaring.cuda.is_available()
        True
    """
    return importlib.util.find_spec("cupy") is not None
