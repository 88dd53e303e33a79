"""torch.accelerator's questions for jaring's one kind of accelerator, a GPU through CuPy.

Today's PyTorch tutorials open with `device = torch.accelerator.current_accelerator().type if
torch.accelerator.is_available() else "cpu"`; with `import jaring as torch` that line gives
"cuda" where CuPy sees a GPU and "cpu" elsewhere.
"""

from __future__ import annotations

from jaring import cuda
from jaring.backend import Device


def is_available() -> bool:
    """Whether an accelerator (a GPU jaring can use through CuPy) is present.

    Examples:
        >>> import jaring
        >>> from jaring import accelerator
        >>> device = accelerator.current_accelerator().type if accelerator.is_available() else "cpu"
        >>> device in ("cpu", "cuda")
        True
    """
    return cuda.is_available()


def device_count() -> int:
    """How many accelerators there are (GPUs CuPy sees)."""
    return cuda.device_count()


def current_accelerator(check_available: bool = False) -> Device | None:
    """The accelerator's device (`jaring.device("cuda")`), or None without one, as torch's. With
    `check_available=True` it is also None when no GPU is usable right now."""
    if not cuda.is_available() and (check_available or cuda.device_count() == 0):
        return None
    return Device("cuda")
