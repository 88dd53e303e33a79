"""TextClassifier: builder checks, forward against PyTorch, masking, training on texts, save/load."""

import os
import time
from pathlib import Path

import numpy as np
import pytest
import torch

from jaring.data.text import TextVectorizer
from jaring.io import load, read_metadata
from jaring.models import TextClassifier
from jaring.nn.bidirectional import Bidirectional
from jaring.nn.recurrent import GRU, SimpleRNN
from jaring.training.metrics import macro_f1

TORCH_CELLS = {"SimpleRNN": torch.nn.RNN, "LSTM": torch.nn.LSTM, "GRU": torch.nn.GRU}


def torch_logits(model: TextClassifier, ids: np.ndarray) -> np.ndarray:
    """The model's logits computed by PyTorch from its weights (padding handled by packing)."""
    bi = model.direction == "bi"
    t = lambda p: torch.from_numpy(p.numpy())  # noqa: E731
    lengths = torch.from_numpy((ids != 0).sum(1))
    h = torch.nn.utils.rnn.pack_padded_sequence(
        torch.nn.functional.embedding(torch.from_numpy(ids), t(model.embedding.weight)),
        lengths,
        batch_first=True,
        enforce_sorted=False,
    )
    width = model.embedding.output_dim
    with torch.no_grad():
        for layer, units in zip(model.recurrent, model.units):
            rnn = TORCH_CELLS[model.cell](width, units, batch_first=True, bidirectional=bi)
            pairs = [("", layer.forward_layer), ("_reverse", layer.backward_layer)] if bi else [("", layer)]
            for suffix, ours in pairs:
                getattr(rnn, f"weight_ih_l0{suffix}").copy_(t(ours.weight_ih))
                getattr(rnn, f"weight_hh_l0{suffix}").copy_(t(ours.weight_hh))
                if model.cell == "GRU":
                    getattr(rnn, f"bias_ih_l0{suffix}").copy_(t(ours.bias_ih))
                    getattr(rnn, f"bias_hh_l0{suffix}").copy_(t(ours.bias_hh))
                else:
                    getattr(rnn, f"bias_ih_l0{suffix}").copy_(t(ours.bias))
                    getattr(rnn, f"bias_hh_l0{suffix}").zero_()
            h, last = rnn(h)
            width = 2 * units if bi else units
        last = last[0] if isinstance(last, tuple) else last
        final = torch.cat(list(last), dim=1)
        return (final @ t(model.dense.weight).T + t(model.dense.bias)).numpy()


def random_ids(rng: np.random.Generator, batch: int, time: int, vocab: int) -> np.ndarray:
    """Token ids padded with zeros at the end, every row at least one real token long."""
    ids = rng.integers(1, vocab, size=(batch, time))
    lengths = rng.integers(1, time + 1, size=batch)
    ids[np.arange(time) >= lengths[:, None]] = 0
    return ids


# ----- construction ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"cell": "transformer"}, "unknown cell 'transformer'; choose from rnn, simplernn, lstm, gru"),
        ({"direction": "both"}, "unknown direction 'both'"),
        ({"units": [8, 8], "num_layers": 3}, r"num_layers=3 but units lists 2 widths"),
        ({"units": 0}, "units must be a positive integer, got 0"),
        ({"units": []}, "units must not be empty"),
        ({"num_layers": 0}, "num_layers must be a positive integer"),
        ({"vocab_size": None}, "give vocab_size, or an adapted vectorizer"),
        ({"embedding_dim": 0}, "embedding_dim must be a positive integer"),
        ({"num_classes": 1.5}, "num_classes must be a positive integer"),
        ({"sequence_length": -1}, "sequence_length must be a positive integer"),
        ({"dropout": 1.0}, "Dropout"),
    ],
)
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TextClassifier(**kwargs)


def test_bad_vectorizer_and_inputs():
    with pytest.raises(TypeError, match="vectorizer must be a TextVectorizer"):
        TextClassifier(vectorizer=["a", "b"])
    big = TextVectorizer(vocabulary=[f"w{i}" for i in range(20)])
    with pytest.raises(ValueError, match="22 tokens, more than the Embedding's vocab_size=10"):
        TextClassifier(vocab_size=10, vectorizer=big)
    model = TextClassifier(vocab_size=10, seed=0)
    with pytest.raises(RuntimeError, match="no vocabulary yet: call fit"):
        model.predict(["belum dilatih"])
    with pytest.raises(ValueError, match=r"token ids of shape \(batch, time\).*got shape \(2, 3, 4\)"):
        model(np.ones((2, 3, 4), dtype=np.int64))
    with pytest.raises(IndexError, match="token id 12 is out of range"):
        model(np.array([[1, 12]]))


@pytest.mark.parametrize("direction", ["uni", "bi"])
def test_layout_follows_the_options(direction):
    model = TextClassifier(
        vocab_size=50, cell="gru", units=[6, 4, 5], direction=direction, embedding_dim=7, seed=0
    )
    factor = 2 if direction == "bi" else 1
    assert model.units == [6, 4, 5] and model.cell == "GRU"
    layers = [layer.forward_layer if direction == "bi" else layer for layer in model.recurrent]
    assert all(isinstance(layer, GRU) for layer in layers)
    assert all(isinstance(layer, Bidirectional) == (direction == "bi") for layer in model.recurrent)
    assert [layer.input_dim for layer in layers] == [7, 6 * factor, 4 * factor]
    assert [layer.return_sequences for layer in layers] == [True, True, False]
    assert model.dense.weight.shape == (3, 5 * factor)
    assert isinstance(TextClassifier(cell="rnn", seed=0).recurrent[0], SimpleRNN)
    assert len(TextClassifier(units=8, num_layers=3, seed=0).recurrent) == 3


# ----- forward against PyTorch and masking ------------------------------------------------


@pytest.mark.parametrize("direction", ["uni", "bi"])
@pytest.mark.parametrize("cell, units", [("rnn", [5]), ("lstm", [4, 3]), ("gru", [3, 1, 4])])
def test_logits_match_pytorch_with_padding(cell, units, direction):
    rng = np.random.default_rng(1)
    model = TextClassifier(
        vocab_size=30, cell=cell, units=units, direction=direction, embedding_dim=6, seed=2
    )
    model.eval()
    ids = random_ids(rng, batch=5, time=9, vocab=30)
    np.testing.assert_allclose(model.logits(ids).numpy(), torch_logits(model, ids), rtol=1e-4, atol=1e-5)
    probs = model.predict(ids)
    np.testing.assert_allclose(probs.sum(1), 1, rtol=1e-6)


@pytest.mark.parametrize("direction", ["uni", "bi"])
@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_padded_and_unpadded_inputs_predict_the_same(cell, direction):
    rng = np.random.default_rng(3)
    model = TextClassifier(
        vocab_size=40, sequence_length=None, cell=cell, units=[4, 3], direction=direction, seed=0
    )
    ids = rng.integers(1, 40, size=(3, 6))
    padded = np.concatenate([ids, np.zeros((3, 11), dtype=ids.dtype)], axis=1)
    np.testing.assert_allclose(model.predict(ids), model.predict(padded), rtol=1e-5, atol=1e-6)
    unmasked = TextClassifier(
        vocab_size=40,
        sequence_length=None,
        cell=cell,
        units=[4, 3],
        direction=direction,
        mask_zero=False,
        seed=0,
    )
    assert not np.allclose(unmasked.predict(ids), unmasked.predict(padded), atol=1e-6)


# ----- training and files -------------------------------------------------------------------

GOOD = ["bagus", "senang", "mantap", "suka", "hebat"]
BAD = ["buruk", "kecewa", "jelek", "benci", "parah"]
FILLER = ["saya", "makan", "di", "rumah", "itu", "hari", "ini", "dan", "yang", "kami"]


def toy_texts(n: int, seed: int) -> tuple[list[str], np.ndarray]:
    """Sentences of filler words with one sentiment word (label 2 or 0) or none (label 1)."""
    rng = np.random.default_rng(seed)
    texts, labels = [], rng.integers(0, 3, size=n)
    for label in labels:
        words = list(rng.choice(FILLER, size=rng.integers(2, 8)))
        if label != 1:
            words.insert(rng.integers(0, len(words) + 1), rng.choice(GOOD if label == 2 else BAD))
        texts.append(" ".join(words).capitalize() + "!")
    return texts, labels


@pytest.fixture(scope="module")
def trained_toy() -> tuple[TextClassifier, list[str]]:
    texts, labels = toy_texts(150, seed=0)
    model = TextClassifier(vocab_size=40, sequence_length=12, cell="lstm", units=8, direction="bi", seed=0)
    model.fit(texts, labels, epochs=8, lr=0.01, seed=0)
    return model, texts


@pytest.mark.slow
def test_fit_on_raw_texts_learns_the_toy_task(trained_toy):
    model, _ = trained_toy
    assert model.vectorizer.vocabulary()[:2] == ["", "[UNK]"]
    assert model.vectorizer.output_sequence_length == 12
    test_texts, test_labels = toy_texts(90, seed=1)
    assert model.evaluate(test_texts, test_labels)["accuracy"] > 0.9
    assert model.predict_classes(["Saya suka rumah ini", "Hari ini parah"]).tolist() == [2, 0]
    assert model.predict_classes(np.array(["Hari ini parah"])).tolist() == [0]
    assert model.predict_classes("Saya suka rumah ini").tolist() == [2]


def test_save_and_load_keep_the_vectorizer(trained_toy, tmp_path):
    model, texts = trained_toy
    path = model.save(tmp_path / "sentimen")
    assert path.suffix == ".jaring"
    config = read_metadata(path)["model"]["config"]
    assert config["vectorizer"]["vocabulary"] == model.vectorizer.vocabulary()
    raw = ["Kami benci hari ini", "MANTAP!!", "kata-kata baru yang belum pernah ada", *texts[:20]]
    for loaded in (TextClassifier.load(path), load(path)):
        assert isinstance(loaded, TextClassifier)
        assert loaded.vectorizer.get_config() == model.vectorizer.get_config()
        np.testing.assert_array_equal(loaded.predict(raw), model.predict(raw))
    with pytest.raises(TypeError, match="holds a TextClassifier"):
        from jaring.models import FFNN

        FFNN.load(path)


def test_fit_on_token_ids_with_a_given_vectorizer():
    texts, labels = toy_texts(60, seed=2)
    vectorizer = TextVectorizer(max_tokens=30, output_sequence_length=10).adapt(texts)
    model = TextClassifier(vocab_size=None, cell="rnn", units=4, vectorizer=vectorizer, seed=0)
    assert model.vocab_size == vectorizer.vocabulary_size()
    history = model.fit(vectorizer(texts), labels, epochs=2, validation_data=(texts, labels))
    assert len(history.history["val_loss"]) == 2
    assert model.predict(texts[:3]).shape == (3, 3)


def nusax_root() -> Path:
    path = os.environ.get("JARING_DATA")
    if not path or not (Path(path) / "nusax_sentiment" / "indonesian" / "train.csv").is_file():
        pytest.skip("the NusaX test needs $JARING_DATA/nusax_sentiment (e.g. JARING_DATA=../shared/datasets)")
    return Path(path)


def test_lstm_on_nusax_indonesian_beats_the_majority_class():
    from jaring.data.datasets import load_nusax_sentiment

    (x_train, y_train), _, (x_test, y_test) = load_nusax_sentiment(nusax_root())
    x_test, y_test = x_test[:200], y_test[:200]
    majority = np.full_like(y_test, np.bincount(y_train).argmax())
    start = time.process_time()  # CPU time: other processes on a busy machine do not count
    model = TextClassifier(vocab_size=2000, sequence_length=40, cell="lstm", units=16, seed=0)
    model.fit(x_train, y_train, epochs=4, seed=0)
    predicted = model.predict_classes(x_test)
    assert time.process_time() - start < 10
    assert macro_f1(y_test, predicted) > macro_f1(y_test, majority) + 0.3
    assert (predicted == y_test).mean() > (majority == y_test).mean() + 0.2
