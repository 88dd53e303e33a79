"""Global max and average pooling against PyTorch, with ties and NaN."""

import numpy as np
import torch.nn.functional as TF

import jaring.functional as F
from tests.oracle import compare_with_torch, random_array


def test_global_pools_match_torch():
    x = random_array((3, 4, 5, 6), 6)
    compare_with_torch(F.global_max_pool2d, lambda a: TF.max_pool2d(a, (5, 6)).flatten(1), [x])
    compare_with_torch(F.global_avg_pool2d, lambda a: a.mean(dim=(2, 3)), [x])
    compare_with_torch(
        lambda a: F.global_avg_pool2d(a, keepdims=True), lambda a: a.mean(dim=(2, 3), keepdim=True), [x]
    )
    compare_with_torch(
        lambda a: F.global_max_pool2d(a, keepdims=True), lambda a: TF.max_pool2d(a, (5, 6)), [x]
    )
    ties = np.zeros((1, 2, 2, 2), np.float32)
    compare_with_torch(F.global_max_pool2d, lambda a: TF.max_pool2d(a, 2).flatten(1), [ties])
