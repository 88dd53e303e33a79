"""jaring.linalg's namespace and torch's top-level aliases and Tensor methods for it."""

import numpy as np
import torch

import jaring


def test_namespace_has_torchs_names():
    for name in jaring.linalg.__all__:
        assert hasattr(torch.linalg, name), name


def test_aliases_and_methods_match_torch():
    a = np.array([[2.0, 1.0], [1.0, 3.0]])
    j, t = jaring.tensor(a), torch.tensor(a)
    for ours, theirs in [
        (j.inverse(), t.inverse()),
        (j.det(), t.det()),
        (j.logdet(), t.logdet()),
        (jaring.slogdet(j)[1], torch.slogdet(t)[1]),
    ]:
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), atol=1e-12)
