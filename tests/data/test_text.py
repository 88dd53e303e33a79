"""Tests for jaring/data/text.py: TextVectorizer standardisation, vocabulary order, padding, config."""

import json

import numpy as np
import pytest

from jaring.data import TextVectorizer

TEXTS = ["Makanan enak, enak sekali!", "Pelayanan buruk.", "makanan BURUK; tempat enak?"]


def test_vocabulary_by_frequency_then_first_appearance():
    vec = TextVectorizer().adapt(TEXTS)
    # enak x3; makanan x2 and buruk x2 (makanan seen first); then single words in order of appearance
    assert vec.vocabulary() == ["", "[UNK]", "enak", "makanan", "buruk", "sekali", "pelayanan", "tempat"]
    assert vec.vocabulary_size() == 8


def test_encoding_pads_to_longest_and_maps_unknown_to_one():
    vec = TextVectorizer().adapt(TEXTS)
    out = vec(["enak sekali", "Makanan asing!!"])
    assert out.dtype == np.int64
    np.testing.assert_array_equal(out, [[2, 5], [3, 1]])
    np.testing.assert_array_equal(vec("enak"), [2])
    assert vec.decode([3, 1, 0, 0]) == "makanan [UNK]"


def test_output_sequence_length_pads_and_truncates_at_the_end():
    vec = TextVectorizer(output_sequence_length=3).adapt(TEXTS)
    np.testing.assert_array_equal(vec(["enak", "enak enak buruk makanan"]), [[2, 0, 0], [2, 2, 4]])
    assert vec([]).shape == (0, 3)


def test_max_tokens_counts_padding_and_oov():
    vec = TextVectorizer(max_tokens=4).adapt(TEXTS)
    assert vec.vocabulary() == ["", "[UNK]", "enak", "makanan"]
    np.testing.assert_array_equal(vec(["buruk enak"]), [[1, 2]])


@pytest.mark.parametrize(
    "standardize, tokens",
    [
        ("lower_and_strip_punctuation", ["enak", "sekali"]),
        ("lower", ["enak,", "sekali!"]),
        ("strip_punctuation", ["Enak", "SEKALI"]),
        (None, ["Enak,", "SEKALI!"]),
        (str.upper, ["ENAK,", "SEKALI!"]),
    ],
)
def test_standardize_options(standardize, tokens):
    assert TextVectorizer(standardize=standardize).tokenize("Enak, SEKALI!") == tokens


def test_custom_split():
    assert TextVectorizer(split=list).tokenize("Ab c") == ["a", "b", " ", "c"]


def test_config_round_trip_through_json():
    vec = TextVectorizer(max_tokens=6, output_sequence_length=4).adapt(TEXTS)
    config = json.loads(json.dumps(vec.get_config()))
    restored = TextVectorizer.from_config(config)
    assert restored.vocabulary() == vec.vocabulary()
    np.testing.assert_array_equal(restored(TEXTS), vec(TEXTS))
    fresh = TextVectorizer.from_config(TextVectorizer().get_config())
    with pytest.raises(RuntimeError, match="adapt"):
        fresh(["x"])


def test_set_vocabulary_accepts_with_or_without_reserved_tokens():
    a = TextVectorizer(vocabulary=["", "[UNK]", "x", "y"])
    b = TextVectorizer(vocabulary=["x", "y"])
    assert a.vocabulary() == b.vocabulary() == ["", "[UNK]", "x", "y"]
    with pytest.raises(ValueError, match="distinct"):
        TextVectorizer(vocabulary=["x", "x"])
    with pytest.raises(ValueError, match="exceed max_tokens=3"):
        TextVectorizer(max_tokens=3, vocabulary=["x", "y"])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"max_tokens": 1}, "max_tokens must be an int >= 2"),
        ({"output_sequence_length": 0}, "output_sequence_length must be a positive int"),
        (
            {"standardize": "lowercase"},
            "unknown standardize 'lowercase'; use one of lower_and_strip_punctuation",
        ),
        ({"split": "character"}, "unknown split"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TextVectorizer(**kwargs)


def test_bad_inputs_and_unsaveable_config():
    vec = TextVectorizer().adapt(TEXTS)
    with pytest.raises(TypeError, match="list of str, found a int"):
        vec(["ok", 3])
    with pytest.raises(ValueError, match="cannot be saved"):
        TextVectorizer(standardize=str.lower).get_config()
    with pytest.raises(ValueError, match="unknown keys"):
        TextVectorizer.from_config({"max_token": 3})
