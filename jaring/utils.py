"""torch.utils's spelling: `torch.utils.data.DataLoader` is jaring.data.DataLoader.

jaring keeps its data loading in jaring.data; this module only registers that package under
torch's dotted names, so `from jaring.utils.data import DataLoader, random_split` and
`import jaring.utils.data` work, as do torch's submodule paths
`jaring.utils.data.dataset`, `.sampler` and `.dataloader` in import statements.
"""

import sys

from jaring import data
from jaring.data import dataset as _dataset
from jaring.data import loader as _loader
from jaring.data import sampler as _sampler

sys.modules[__name__ + ".data"] = data
sys.modules[__name__ + ".data.dataset"] = _dataset
sys.modules[__name__ + ".data.sampler"] = _sampler
sys.modules[__name__ + ".data.dataloader"] = _loader

__all__ = ["data"]
