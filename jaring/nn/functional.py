"""`import jaring.nn.functional as F`, torch's spelling, for jaring.functional's namespace.

Code written for PyTorch imports `torch.nn.functional as F`. jaring keeps its functions one floor
below nn, in jaring/functional.py; this module re-exports that namespace (the same function
objects, not copies), so both import lines give the same F.
"""

from typing import Any

from jaring import functional as _functional
from jaring.functional import *  # noqa: F403
from jaring.functional import __all__  # noqa: F401


def __getattr__(name: str) -> Any:
    return getattr(_functional, name)
