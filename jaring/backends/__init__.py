"""torch.backends's questions and switches: which accelerator libraries exist, and cuDNN's flags.

    torch.backends.cudnn.benchmark = True             # runs unchanged: jaring has no cuDNN
    if torch.backends.mps.is_available(): ...          # False: jaring has no Apple-GPU path

jaring computes with NumPy on the CPU or CuPy on an NVIDIA GPU; it uses neither Apple's Metal
(MPS) nor cuDNN, so those answer False and cuDNN's flags are stored without effect.
"""

from jaring.backends import cuda, cudnn, mps

__all__ = ["cuda", "cudnn", "mps"]
