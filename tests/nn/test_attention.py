"""nn.MultiheadAttention against torch.nn.MultiheadAttention with the same parameters: outputs,
attention weights and gradients, over layouts and masks; state dict names; float64 gradcheck."""

import numpy as np
import pytest
import torch

import jaring
from jaring.nn.attention import MultiheadAttention
from tests.oracle import check_gradients, random_array

RNG = np.random.default_rng(0)
PADDING = np.zeros((2, 5), bool)
PADDING[0, 4] = True
ATTN = RNG.standard_normal((3, 5)).astype(np.float32)
CAUSAL = ~np.tril(np.ones((3, 5), bool))


def _pair(batch_first):
    layer = MultiheadAttention(8, 2, batch_first=batch_first, seed=0)
    twin = torch.nn.MultiheadAttention(8, 2, batch_first=batch_first)
    twin.load_state_dict({k: torch.tensor(v) for k, v in layer.state_dict().items()})
    return layer, twin


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize(
    "masks",
    [
        {},
        dict(key_padding_mask=PADDING),
        dict(attn_mask=ATTN),
        dict(attn_mask=CAUSAL, key_padding_mask=PADDING),
    ],
)
@pytest.mark.parametrize("average", [True, False])
def test_matches_torch(batch_first, masks, average):
    layer, twin = _pair(batch_first)
    q_shape, kv_shape = ((2, 3, 8), (2, 5, 8)) if batch_first else ((3, 2, 8), (5, 2, 8))
    q, kv = random_array(q_shape, 1), random_array(kv_shape, 2)
    jq, tq = jaring.tensor(q, requires_grad=True), torch.tensor(q, requires_grad=True)
    out, weights = layer(jq, kv, kv, average_attn_weights=average, **masks)
    t_masks = {k: torch.tensor(v) for k, v in masks.items()}
    t_out, t_weights = twin(tq, torch.tensor(kv), torch.tensor(kv), average_attn_weights=average, **t_masks)
    np.testing.assert_allclose(out.numpy(), t_out.detach().numpy(), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(weights.numpy(), t_weights.detach().numpy(), rtol=1e-5, atol=1e-6)
    upstream = RNG.standard_normal(out.shape).astype(np.float32)
    (out * upstream).sum().backward()
    (t_out * torch.tensor(upstream)).sum().backward()
    np.testing.assert_allclose(jq.grad.numpy(), tq.grad.numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(
        layer.in_proj_weight.grad.numpy(), twin.in_proj_weight.grad.numpy(), rtol=1e-4, atol=1e-5
    )
    np.testing.assert_allclose(
        layer.out_proj.weight.grad.numpy(), twin.out_proj.weight.grad.numpy(), rtol=1e-4, atol=1e-5
    )


def test_unbatched_and_causal_match_torch():
    layer, twin = _pair(False)
    x = random_array((4, 8), 3)
    mask = ~np.tril(np.ones((4, 4), bool))
    out, weights = layer(x, x, x, is_causal=True)
    t_out, t_weights = twin(*(torch.tensor(x),) * 3, attn_mask=torch.tensor(mask), is_causal=True)
    np.testing.assert_allclose(out.numpy(), t_out.detach().numpy(), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(weights.numpy(), t_weights.detach().numpy(), rtol=1e-5, atol=1e-6)


def test_state_dict_names_and_need_weights():
    layer, twin = _pair(True)
    assert sorted(layer.state_dict()) == sorted(twin.state_dict())
    assert (
        layer(random_array((1, 2, 8)), random_array((1, 3, 8)), random_array((1, 3, 8)), need_weights=False)[
            1
        ]
        is None
    )


def test_gradcheck_float64():
    layer = MultiheadAttention(4, 2, seed=1, dtype=np.float64)
    check_gradients(
        lambda q, kv: layer(q, kv, kv)[0], [random_array((3, 2, 4), 4), random_array((2, 2, 4), 5)]
    )


def test_bad_shapes_are_named():
    with pytest.raises(ValueError, match="divide by num_heads"):
        MultiheadAttention(6, 4)
    layer = MultiheadAttention(8, 2)
    with pytest.raises(ValueError, match=r"\(L, N, 8\)"):
        layer(random_array((3, 2, 6)), random_array((3, 2, 6)), random_array((3, 2, 6)))
