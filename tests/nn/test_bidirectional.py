"""jaring/nn/bidirectional.py: merge modes against their definition, a seeded independent copy."""

import numpy as np
import pytest

import jaring
import jaring.nn as nn


@pytest.mark.parametrize("merge_mode", ["sum", "mul", "ave", None])
def test_merge_modes(merge_mode):
    x = jaring.randn(2, 4, 3, seed=0)
    bi = nn.Bidirectional(nn.GRU(5, return_sequences=True, seed=3), merge_mode=merge_mode)
    out = bi(x)
    fwd = bi.forward_layer.run(x)[0].numpy()
    bwd = bi.backward_layer.run(x)[0].numpy()
    expected = {"sum": fwd + bwd, "mul": fwd * bwd, "ave": (fwd + bwd) / 2, None: None}[merge_mode]
    if merge_mode is None:
        np.testing.assert_allclose(out[0].numpy(), fwd)
        np.testing.assert_allclose(out[1].numpy(), bwd)
    else:
        np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6)


def test_bidirectional_copy_is_seeded_and_independent():
    a = nn.Bidirectional(nn.LSTM(3, input_dim=2, seed=7))
    b = nn.Bidirectional(nn.LSTM(3, input_dim=2, seed=7))
    np.testing.assert_array_equal(a.backward_layer.weight_ih.numpy(), b.backward_layer.weight_ih.numpy())
    assert not np.allclose(a.forward_layer.weight_ih.numpy(), a.backward_layer.weight_ih.numpy())
    assert a.backward_layer.go_backwards and not a.forward_layer.go_backwards
    out, h_f, c_f, h_b, c_b = nn.Bidirectional(nn.LSTM(3, return_state=True, seed=1))(
        jaring.randn(2, 4, 2, seed=0)
    )
    np.testing.assert_allclose(out.numpy(), np.concatenate([h_f.numpy(), h_b.numpy()], axis=1))
