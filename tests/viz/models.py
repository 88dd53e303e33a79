"""Small seeded models with gradients, shared by the viz tests (built in milliseconds)."""

from __future__ import annotations

import numpy as np

import jaring
import jaring.functional as F
import jaring.nn as nn


def trained_mlp(sizes: tuple[int, ...] = (5, 4, 3), seed: int = 0) -> nn.Sequential:
    """Linear/ReLU stack ending in logits, after one backward pass of cross-entropy (so .grad is set)."""
    layers: list = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(n_in, n_out, seed=seed + i))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    model = nn.Sequential(*layers)
    rng = np.random.default_rng(seed)
    x = jaring.tensor(rng.normal(size=(6, sizes[0])).astype(np.float32))
    labels = jaring.tensor(rng.integers(0, sizes[-1], size=6))
    F.cross_entropy(model(x), labels).backward()
    return model
