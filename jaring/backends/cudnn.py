"""torch.backends.cudnn: NVIDIA's cuDNN library. jaring does not use it (its GPU convolutions are
CuPy matmuls), so is_available() is False and the flags tutorials set are stored without effect.

    jaring.backends.cudnn.benchmark = True       # kept as given; jaring picks no cuDNN algorithms
    jaring.backends.cudnn.deterministic = True   # kept as given; changes nothing either

torch's defaults: enabled True, benchmark False, deterministic False.
"""

enabled = True
benchmark = False
deterministic = False


def is_available() -> bool:
    """False: jaring has no cuDNN.

    Examples:
        >>> import jaring
        >>> jaring.backends.cudnn.is_available()
        False
    """
    return False
