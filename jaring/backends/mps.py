"""torch.backends.mps: Apple's Metal GPUs. jaring has no Metal path, so both answers are False."""


def is_available() -> bool:
    """False: jaring cannot compute on Apple's Metal (MPS) GPUs.

    Examples:
        >>> import jaring
        >>> jaring.backends.mps.is_available()
        False
    """
    return False


def is_built() -> bool:
    """False: jaring is not built with Metal (MPS) support.

    Examples:
        >>> import jaring
        >>> jaring.backends.mps.is_built()
        False
    """
    return False
