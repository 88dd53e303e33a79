"""nn.Transformer against torch.nn.Transformer with the same weights (outputs, gradients of src,
tgt and every parameter, with all masks, float32 and float64), torch's state dicts loaded, its
Xavier initialisation, generate_square_subsequent_mask, save / load, and errors."""

import numpy as np
import pytest
import torch

import jaring
from jaring.nn.transformer import Transformer
from jaring.nn.transformer_encoder import TransformerEncoder, TransformerEncoderLayer
from tests.nn.transformer_oracle import compare_twins, load_from_torch
from tests.oracle import random_array

D, H, FF, S, T, N = 8, 2, 12, 5, 4, 2
ARGS = dict(d_model=D, nhead=H, num_encoder_layers=2, num_decoder_layers=2, dim_feedforward=FF, dropout=0.0)
SRC_PADDING = np.zeros((N, S), bool)
SRC_PADDING[1, 3:] = True
TGT_PADDING = np.zeros((N, T), bool)
TGT_PADDING[0, 3] = True
pytestmark = pytest.mark.filterwarnings(
    "ignore:Support for mismatched key_padding_mask", "ignore:enable_nested_tensor is True"
)


def _inputs(batch_first, n=N):
    if n is None:
        return [random_array((S, D), 1), random_array((T, D), 2)]
    shapes = ((n, S, D), (n, T, D)) if batch_first else ((S, n, D), (T, n, D))
    return [random_array(shapes[0], 1), random_array(shapes[1], 2)]


def _masks(n=N):
    return dict(
        tgt_mask=Transformer.generate_square_subsequent_mask(T).numpy(),
        src_key_padding_mask=SRC_PADDING[:n],
        tgt_key_padding_mask=TGT_PADDING[:n],
        memory_key_padding_mask=SRC_PADDING[:n],
    )


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("options", [{}, dict(norm_first=True, activation="gelu"), dict(bias=False)])
@pytest.mark.parametrize("batch_first", [False, True])
def test_matches_torch(batch_first, options, dtype):
    model = Transformer(**ARGS, batch_first=batch_first, seed=0, **options)
    twin = torch.nn.Transformer(**ARGS, batch_first=batch_first, **options)
    compare_twins(model, twin, _inputs(batch_first), dtype, _masks())


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_batch_of_one_and_unbatched_match_torch(dtype):
    model, twin = (
        Transformer(**ARGS, batch_first=True, seed=0),
        torch.nn.Transformer(**ARGS, batch_first=True),
    )
    compare_twins(model, twin, _inputs(True, n=1), dtype, _masks(n=1))
    masks = dict(tgt_mask=_masks()["tgt_mask"], src_key_padding_mask=SRC_PADDING[1])
    compare_twins(model, twin, _inputs(True, n=None), dtype, masks)


def test_torch_state_dict_loads_and_keys_match():
    twin = torch.nn.Transformer(**{**ARGS, "dropout": 0.1})
    model = Transformer(**{**ARGS, "dropout": 0.1}, seed=1)
    assert list(model.state_dict()) == list(twin.state_dict())
    load_from_torch(model, twin)
    src, tgt = _inputs(False)
    with torch.no_grad():
        t_masks = {k: torch.tensor(v) for k, v in _masks().items()}
        want = twin.eval()(torch.tensor(src), torch.tensor(tgt), **t_masks).numpy()
    np.testing.assert_allclose(model.eval()(src, tgt, **_masks()).numpy(), want, rtol=1e-4, atol=1e-5)


def test_weights_start_xavier_uniform_and_follow_the_seed():
    model = Transformer(**ARGS, seed=3)
    again = Transformer(**ARGS, seed=3)
    for (name, p), q in zip(model.named_parameters(), again.parameters()):
        np.testing.assert_array_equal(p.numpy(), q.numpy(), err_msg=name)
    weight = model.encoder.layers[0].linear1.weight.numpy()  # (FF, D): bound sqrt(6 / (D + FF))
    bound = np.sqrt(6 / (D + FF))
    assert np.abs(weight).max() <= bound and np.abs(weight).max() > 0.8 * bound
    layers = model.encoder.layers
    assert not np.array_equal(layers[0].linear1.weight.numpy(), layers[1].linear1.weight.numpy())


def test_generate_square_subsequent_mask_matches_torch():
    for sz in (0, 1, 5):
        got = Transformer.generate_square_subsequent_mask(sz)
        want = torch.nn.Transformer.generate_square_subsequent_mask(sz).numpy()
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got.numpy(), want)
    assert Transformer.generate_square_subsequent_mask(3, dtype=np.float64).dtype == np.float64
    with pytest.raises(ValueError, match="sz must be an integer >= 0"):
        Transformer.generate_square_subsequent_mask(-1)
    with pytest.raises(TypeError, match="floating dtype"):
        Transformer.generate_square_subsequent_mask(3, dtype=np.int32)


def test_custom_encoder_and_save_load_round_trip(tmp_path):
    encoder = TransformerEncoder(TransformerEncoderLayer(D, H, FF, dropout=0.0, seed=0), 1)
    model = Transformer(**ARGS, custom_encoder=encoder, seed=0).eval()
    assert model.encoder is encoder and len(model.decoder.layers) == 2
    jaring.io.save(model, tmp_path / "transformer")
    loaded = jaring.io.load(tmp_path / "transformer").eval()
    src, tgt = _inputs(False)
    np.testing.assert_array_equal(loaded(src, tgt, **_masks()).numpy(), model(src, tgt, **_masks()).numpy())


def test_bad_inputs_are_named():
    model = Transformer(**ARGS, batch_first=True)
    src, tgt = _inputs(True)
    with pytest.raises(ValueError, match="the batch number of src and tgt must be equal"):
        model(src, tgt[:1])
    with pytest.raises(ValueError, match=r"expected tgt of shape \(N, S, 8\)"):
        model(src, random_array((N, T, 6)))
