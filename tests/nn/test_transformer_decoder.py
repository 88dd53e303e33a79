"""nn.TransformerDecoderLayer and nn.TransformerDecoder against torch's with the same weights:
outputs, gradients of target, memory and every parameter, over layouts (batch_first, batch 1,
unbatched), norm_first, activations and the four masks, in float32 and float64; torch state
dicts loaded; a float64 gradcheck; save / load; errors."""

import numpy as np
import pytest
import torch

import jaring
from jaring import nn
from jaring.nn.transformer import Transformer
from jaring.nn.transformer_decoder import TransformerDecoder, TransformerDecoderLayer
from tests.nn.transformer_oracle import compare_twins, load_from_torch
from tests.oracle import check_gradients, random_array

D, H, FF, T, S, N = 8, 2, 12, 4, 6, 3
RNG = np.random.default_rng(0)
TGT_PADDING = np.zeros((N, T), bool)
TGT_PADDING[1, 3] = True
MEMORY_PADDING = np.zeros((N, S), bool)
MEMORY_PADDING[0, 4:] = True
CAUSAL = Transformer.generate_square_subsequent_mask(T).numpy()
MEMORY_MASK = RNG.random((T, S)) < 0.3
MEMORY_MASK[:, 0] = False
MASKS = {
    "none": {},
    "causal": dict(tgt_mask=CAUSAL, tgt_is_causal=True),
    "padding": dict(tgt_key_padding_mask=TGT_PADDING, memory_key_padding_mask=MEMORY_PADDING),
    "all four": dict(
        tgt_mask=CAUSAL,
        memory_mask=MEMORY_MASK,
        tgt_key_padding_mask=TGT_PADDING,
        memory_key_padding_mask=MEMORY_PADDING,
    ),
    "float memory mask": dict(memory_mask=RNG.standard_normal((T, S))),
}
DTYPES = [np.float32, np.float64]
pytestmark = pytest.mark.filterwarnings("ignore:Support for mismatched key_padding_mask")


def _layers(**kwargs):
    kwargs = dict(dim_feedforward=FF, dropout=0.0, **kwargs)
    return TransformerDecoderLayer(D, H, seed=0, **kwargs), torch.nn.TransformerDecoderLayer(D, H, **kwargs)


def _inputs(batch_first, n=N):
    if n is None:
        return [random_array((T, D), 1), random_array((S, D), 2)]
    shapes = ((n, T, D), (n, S, D)) if batch_first else ((T, n, D), (S, n, D))
    return [random_array(shapes[0], 1), random_array(shapes[1], 2)]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("mask", list(MASKS))
@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("batch_first", [False, True])
def test_layer_matches_torch(batch_first, norm_first, mask, dtype):
    layer, twin = _layers(batch_first=batch_first, norm_first=norm_first)
    compare_twins(layer, twin, _inputs(batch_first), dtype, MASKS[mask])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "options",
    [dict(activation="gelu"), dict(bias=False, norm_first=True), dict(layer_norm_eps=1e-2, batch_first=True)],
)
def test_layer_options_match_torch(options, dtype):
    layer, twin = _layers(**options)
    compare_twins(layer, twin, _inputs(options.get("batch_first", False)), dtype, MASKS["all four"])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("batch_first", [False, True])
def test_batch_of_one_and_unbatched_match_torch(batch_first, dtype):
    layer, twin = _layers(batch_first=batch_first)
    masks = dict(tgt_mask=CAUSAL, memory_key_padding_mask=MEMORY_PADDING[:1])
    compare_twins(layer, twin, _inputs(batch_first, n=1), dtype, masks)
    compare_twins(
        layer, twin, _inputs(batch_first, n=None), dtype, dict(tgt_mask=CAUSAL, memory_mask=MEMORY_MASK)
    )


@pytest.mark.parametrize("dtype", DTYPES)
def test_is_causal_hint_alone_builds_the_mask(dtype):
    layer, twin = _layers()
    compare_twins(layer, twin, _inputs(False), dtype, dict(tgt_is_causal=True), dict(tgt_mask=CAUSAL))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("mask", ["none", "causal", "all four"])
@pytest.mark.parametrize("norm", [False, True])
@pytest.mark.parametrize("batch_first", [False, True])
def test_decoder_matches_torch(batch_first, norm, mask, dtype):
    layer, twin_layer = _layers(batch_first=batch_first)
    decoder = TransformerDecoder(layer, 2, norm=nn.LayerNorm(D) if norm else None)
    twin = torch.nn.TransformerDecoder(twin_layer, 2, norm=torch.nn.LayerNorm(D) if norm else None)
    for i, copy in enumerate(decoder.layers):  # the copies start equal, as torch's; make them differ
        for p in copy.parameters():
            p.data[...] = p.data + 0.1 * (i + 1) * RNG.standard_normal(p.shape)
    compare_twins(decoder, twin, _inputs(batch_first), dtype, MASKS[mask])


def test_torch_state_dict_loads():
    twin = torch.nn.TransformerDecoder(
        torch.nn.TransformerDecoderLayer(D, H, FF), 2, norm=torch.nn.LayerNorm(D)
    )
    with torch.no_grad():
        for p in twin.parameters():
            p.add_(0.1 * torch.randn(p.shape, generator=torch.Generator().manual_seed(p.numel())))
    decoder = TransformerDecoder(TransformerDecoderLayer(D, H, FF), 2, norm=nn.LayerNorm(D))
    assert list(decoder.state_dict()) == list(twin.state_dict())
    load_from_torch(decoder, twin)
    tgt, memory = _inputs(False)
    with torch.no_grad():
        want = twin.eval()(torch.tensor(tgt), torch.tensor(memory), tgt_mask=torch.tensor(CAUSAL)).numpy()
    got = decoder.eval()(tgt, memory, tgt_mask=CAUSAL).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)
    for layer in (*twin.layers, *decoder.layers):
        layer.dropout.p = layer.dropout1.p = layer.dropout2.p = layer.dropout3.p = 0.0
        layer.self_attn.dropout = layer.multihead_attn.dropout = 0.0
    compare_twins(decoder.train(), twin.train(), [tgt, memory], np.float32, MASKS["all four"])


def test_gradcheck_float64():
    layer = TransformerDecoderLayer(4, 2, dim_feedforward=6, dropout=0.0, seed=3, dtype=np.float64)
    mask = Transformer.generate_square_subsequent_mask(3, dtype=np.float64)
    check_gradients(
        lambda t, m: layer(t, m, tgt_mask=mask), [random_array((3, 2, 4), 4), random_array((2, 2, 4), 5)]
    )


def test_dropout_follows_the_seed():
    tgt, memory = _inputs(True)
    first, second = (
        TransformerDecoderLayer(D, H, FF, dropout=0.5, batch_first=True, seed=7) for _ in range(2)
    )
    np.testing.assert_array_equal(first(tgt, memory).numpy(), second(tgt, memory).numpy())
    decoder = TransformerDecoder(TransformerDecoderLayer(D, H, FF, dropout=0.5, seed=7), 3)
    generators = {id(layer.dropout3._rng) for layer in decoder.layers}
    assert len(generators) == 3


def test_save_and_load_round_trip(tmp_path):
    decoder = TransformerDecoder(TransformerDecoderLayer(D, H, FF, norm_first=True, seed=0), 2).eval()
    jaring.io.save(decoder, tmp_path / "decoder")
    loaded = jaring.io.load(tmp_path / "decoder").eval()
    tgt, memory = _inputs(False)
    np.testing.assert_array_equal(
        loaded(tgt, memory, tgt_is_causal=True).numpy(), decoder(tgt, memory, tgt_is_causal=True).numpy()
    )


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match=r"d_model \(6\) must be divisible by nhead \(4\)"):
        TransformerDecoderLayer(6, 4)
    with pytest.raises(ValueError, match="activation should be relu/gelu, not swish"):
        TransformerDecoderLayer(D, H, activation="swish")
    with pytest.raises(TypeError, match="activation must be"):
        TransformerDecoderLayer(D, H, activation=3)
    layer = TransformerDecoderLayer(D, H, FF)
    tgt, memory = _inputs(False)
    with pytest.raises(ValueError, match=r"expected memory of shape \(S, N, 8\)"):
        layer(tgt, random_array((S, N, 5)))
    with pytest.raises(ValueError, match="both be batched or both unbatched"):
        layer(tgt, memory[:, 0])
    with pytest.raises(TypeError, match="only bool and floating types of memory_mask"):
        layer(tgt, memory, memory_mask=np.zeros((T, S), np.int32))
    with pytest.raises(ValueError, match="attn_mask must be"):
        layer(tgt, memory, memory_mask=np.zeros((S, T), bool))
