"""nn.TransformerEncoderLayer and nn.TransformerEncoder against torch's with the same weights:
outputs, input and parameter gradients over layouts (batch_first, batch 1, unbatched), norm_first,
activations and masks, in float32 and float64; torch state dicts loaded; dropout seeds; a float64
gradcheck; save / load; errors."""

import numpy as np
import pytest
import torch

import jaring
from jaring import nn
from jaring.nn.transformer import Transformer
from jaring.nn.transformer_encoder import TransformerEncoder, TransformerEncoderLayer
from tests.nn.helpers import check_module_gradients
from tests.nn.transformer_oracle import compare_twins, load_from_torch
from tests.oracle import random_array

D, H, FF, S, N = 8, 2, 12, 5, 3
RNG = np.random.default_rng(0)
PADDING = np.zeros((N, S), bool)
PADDING[0, 3:] = True
PADDING[2, 4] = True
FLOAT_MASK = RNG.standard_normal((S, S))
BOOL_MASK = RNG.random((S, S)) < 0.3
BOOL_MASK[:, 0] = False
CAUSAL = ~np.tril(np.ones((S, S), bool))
MASKS = {
    "none": {},
    "padding": dict(src_key_padding_mask=PADDING),
    "float mask": dict(src_mask=FLOAT_MASK),
    "bool mask and padding": dict(src_mask=BOOL_MASK, src_key_padding_mask=PADDING),
    "per-head mask": dict(src_mask=RNG.standard_normal((N * H, S, S))),
    "float padding": dict(src_key_padding_mask=RNG.standard_normal((N, S))),
}
DTYPES = [np.float32, np.float64]


def _layers(**kwargs):
    kwargs = dict(dim_feedforward=FF, dropout=0.0, **kwargs)
    return TransformerEncoderLayer(D, H, seed=0, **kwargs), torch.nn.TransformerEncoderLayer(D, H, **kwargs)


def _src(batch_first, n=N, seed=1):
    return random_array((n, S, D) if batch_first else (S, n, D), seed)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("mask", list(MASKS))
@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("batch_first", [False, True])
def test_layer_matches_torch(batch_first, norm_first, mask, dtype):
    layer, twin = _layers(batch_first=batch_first, norm_first=norm_first)
    compare_twins(layer, twin, [_src(batch_first)], dtype, MASKS[mask])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "options",
    [
        dict(activation="gelu"),
        dict(bias=False),
        dict(layer_norm_eps=1e-2, norm_first=True),
        dict(activation="gelu", bias=False, norm_first=True, batch_first=True),
    ],
)
def test_layer_options_match_torch(options, dtype):
    layer, twin = _layers(**options)
    compare_twins(layer, twin, [_src(options.get("batch_first", False))], dtype, MASKS["padding"])


@pytest.mark.parametrize("dtype", DTYPES)
def test_callable_activation_matches_torch(dtype):
    layer = TransformerEncoderLayer(D, H, FF, dropout=0.0, activation=jaring.functional.tanh, seed=0)
    twin = torch.nn.TransformerEncoderLayer(D, H, FF, dropout=0.0, activation=torch.tanh)
    compare_twins(layer, twin, [_src(False)], dtype)
    module_layer = TransformerEncoderLayer(D, H, FF, dropout=0.0, activation=nn.GELU(), seed=0)
    module_twin = torch.nn.TransformerEncoderLayer(D, H, FF, dropout=0.0, activation=torch.nn.GELU())
    compare_twins(module_layer, module_twin, [_src(False)], dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("batch_first", [False, True])
def test_batch_of_one_and_unbatched_match_torch(batch_first, dtype):
    layer, twin = _layers(batch_first=batch_first)
    compare_twins(layer, twin, [_src(batch_first, n=1)], dtype, dict(src_key_padding_mask=PADDING[:1]))
    unbatched_padding = np.array([False, False, False, True, True])
    compare_twins(layer, twin, [random_array((S, D), 2)], dtype, dict(src_key_padding_mask=unbatched_padding))


@pytest.mark.parametrize("dtype", DTYPES)
def test_is_causal_matches_torch_causal_mask(dtype):
    layer, twin = _layers(batch_first=True)
    # torch needs the mask as well as the hint; jaring builds the mask from the hint alone
    compare_twins(
        layer, twin, [_src(True)], dtype, dict(is_causal=True), dict(src_mask=CAUSAL, is_causal=True)
    )
    mask = Transformer.generate_square_subsequent_mask(S).numpy()
    compare_twins(layer, twin, [_src(True)], dtype, dict(src_mask=mask, is_causal=True))


def _encoders(norm, **kwargs):
    layer, twin_layer = _layers(**kwargs)
    encoder = TransformerEncoder(layer, 2, norm=nn.LayerNorm(D) if norm else None)
    twin = torch.nn.TransformerEncoder(
        twin_layer, 2, norm=torch.nn.LayerNorm(D) if norm else None, enable_nested_tensor=False
    )
    return encoder, twin


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("mask", ["none", "padding", "bool mask and padding"])
@pytest.mark.parametrize("norm", [False, True])
@pytest.mark.parametrize("batch_first", [False, True])
def test_encoder_matches_torch(batch_first, norm, mask, dtype):
    encoder, twin = _encoders(norm, batch_first=batch_first)
    for i, layer in enumerate(encoder.layers):  # the copies start equal, as torch's; make them differ
        for p in layer.parameters():
            p.data[...] = p.data + 0.1 * (i + 1) * RNG.standard_normal(p.shape)
    masks = {("mask" if k == "src_mask" else k): v for k, v in MASKS[mask].items()}
    compare_twins(encoder, twin, [_src(batch_first)], dtype, masks)


def test_encoder_copies_start_equal_with_torch_keys():
    encoder, twin = _encoders(True)
    state = encoder.state_dict()
    assert list(state) == list(twin.state_dict())
    assert "layers.1.self_attn.in_proj_weight" in state and "norm.weight" in state
    np.testing.assert_array_equal(state["layers.0.linear1.weight"], state["layers.1.linear1.weight"])
    assert encoder.layers[0].linear1.weight is not encoder.layers[1].linear1.weight


@pytest.mark.filterwarnings("ignore:The PyTorch API of nested tensors")
@pytest.mark.parametrize("batch_first", [False, True])
def test_torch_state_dict_loads(batch_first):
    twin = torch.nn.TransformerEncoder(
        torch.nn.TransformerEncoderLayer(D, H, FF, batch_first=batch_first),
        2,
        norm=torch.nn.LayerNorm(D),
        enable_nested_tensor=batch_first,
    )
    with torch.no_grad():  # the copies differ, so a wrongly ordered load would show
        for p in twin.parameters():
            p.add_(0.1 * torch.randn(p.shape, generator=torch.Generator().manual_seed(p.numel())))
    encoder = TransformerEncoder(
        TransformerEncoderLayer(D, H, FF, batch_first=batch_first), 2, norm=nn.LayerNorm(D)
    )
    load_from_torch(encoder, twin)
    x = _src(batch_first)
    twin.eval()
    with torch.no_grad():  # torch's fast path in eval mode
        want = twin(torch.tensor(x)).numpy()
        want_padded = twin(torch.tensor(x), src_key_padding_mask=torch.tensor(PADDING)).numpy()
    encoder.eval()
    np.testing.assert_allclose(encoder(x).numpy(), want, rtol=1e-4, atol=1e-5)
    got = encoder(x, src_key_padding_mask=PADDING).numpy()
    keep = ~PADDING if batch_first else ~PADDING.T  # torch's nested tensors give zeros at padding
    np.testing.assert_allclose(got[keep], want_padded[keep], rtol=1e-4, atol=1e-5)
    for layer in (*twin.layers, *encoder.layers):
        layer.dropout.p = layer.dropout1.p = layer.dropout2.p = layer.self_attn.dropout = 0.0
    compare_twins(encoder.train(), twin.train(), [x], np.float32, dict(src_key_padding_mask=PADDING))


def test_gradcheck_float64():
    layer = TransformerEncoderLayer(4, 2, dim_feedforward=6, dropout=0.0, seed=3)
    check_module_gradients(layer, random_array((3, 2, 4), 4))
    norm_first = TransformerEncoderLayer(4, 2, dim_feedforward=6, dropout=0.0, norm_first=True, seed=4)
    check_module_gradients(norm_first, random_array((3, 4), 5))


def test_dropout_follows_the_seed():
    x = _src(True)
    first, second = (
        TransformerEncoderLayer(D, H, FF, dropout=0.5, batch_first=True, seed=7) for _ in range(2)
    )
    np.testing.assert_array_equal(first(x).numpy(), second(x).numpy())
    assert not np.array_equal(first(x).numpy(), second.eval()(x).numpy())
    encoder = TransformerEncoder(TransformerEncoderLayer(D, H, FF, dropout=0.5, seed=7), 2)
    layer_0, layer_1 = encoder.layers
    assert layer_0.dropout._rng is layer_0.self_attn._rng is not layer_1.dropout._rng
    np.testing.assert_raises(
        AssertionError,
        np.testing.assert_array_equal,
        layer_0(_src(False)).numpy(),
        layer_1(_src(False)).numpy(),
    )
    unseeded = TransformerEncoderLayer(D, H, FF, dropout=0.5)
    jaring.manual_seed(3)
    once = unseeded(x).numpy()
    jaring.manual_seed(3)
    np.testing.assert_array_equal(unseeded(x).numpy(), once)


def test_save_and_load_round_trip(tmp_path):
    encoder = TransformerEncoder(
        TransformerEncoderLayer(D, H, FF, activation="gelu", batch_first=True, norm_first=True, seed=0),
        2,
        norm=nn.LayerNorm(D),
    ).eval()
    jaring.io.save(encoder, tmp_path / "encoder")
    loaded = jaring.io.load(tmp_path / "encoder").eval()
    assert list(loaded.state_dict()) == list(encoder.state_dict())
    x = _src(True)
    np.testing.assert_array_equal(
        loaded(x, src_key_padding_mask=PADDING).numpy(), encoder(x, src_key_padding_mask=PADDING).numpy()
    )


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match=r"d_model \(6\) must be divisible by nhead \(4\)"):
        TransformerEncoderLayer(6, 4)
    with pytest.raises(ValueError, match="activation should be relu/gelu, not tanh"):
        TransformerEncoderLayer(D, H, activation="tanh")
    with pytest.raises(ValueError, match="dim_feedforward must be a positive integer"):
        TransformerEncoderLayer(D, H, dim_feedforward=0)
    with pytest.raises(ValueError):
        TransformerEncoderLayer(D, H, dropout=1.5)
    with pytest.raises(ValueError, match="num_layers must be a positive integer"):
        TransformerEncoder(TransformerEncoderLayer(D, H), 0)
    with pytest.raises(TypeError, match="must be a Module"):
        TransformerEncoder("layer", 2)
    layer = TransformerEncoderLayer(D, H, FF)
    with pytest.raises(ValueError, match=r"expected src of shape \(S, N, 8\)"):
        layer(random_array((S, N, 6)))
    with pytest.raises(TypeError, match="only bool and floating types of src_key_padding_mask"):
        layer(_src(False), src_key_padding_mask=PADDING.astype(np.int64))
    with pytest.raises(ValueError, match="key_padding_mask must be"):
        layer(_src(False), src_key_padding_mask=PADDING[:, :3])
