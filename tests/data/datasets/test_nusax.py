"""Tests for jaring/data/datasets/nusax.py: real CSVs from $JARING_DATA and small CSVs written here."""

import numpy as np
import pytest

from jaring.data import DataLoader, TextVectorizer
from jaring.data.datasets import (
    CorruptDatasetError,
    DatasetNotFoundError,
    NusaXSentiment,
    load_nusax_sentiment,
)

CSV = (
    'id,text,label\n1,"Enak sekali, mantap!",positive\n2,Biasa saja,neutral\n3,"Buruk, ""lambat""",negative\n'
)


@pytest.mark.parametrize("split, rows", [("train", 500), ("valid", 100), ("test", 400)])
def test_real_indonesian_splits(shared_data, split, rows):
    ds = NusaXSentiment(language="indonesian", split=split)
    assert len(ds) == rows == len(ds.texts) == len(ds.labels)
    assert ds.labels.dtype == np.int64 and set(ds.labels.tolist()) == {0, 1, 2}
    assert all(isinstance(t, str) and t for t in ds.texts)
    assert ds.path == shared_data / "nusax_sentiment" / "indonesian" / f"{split}.csv"


def test_real_parallel_languages_share_labels(shared_data):
    (_, ind), _, _ = load_nusax_sentiment(language="indonesian")
    (_, jav), _, _ = load_nusax_sentiment(language="javanese")
    np.testing.assert_array_equal(ind, jav)


@pytest.fixture
def small_root(isolated):
    folder = isolated / "nusax" / "indonesian"
    folder.mkdir(parents=True)
    (folder / "train.csv").write_text(CSV, encoding="utf-8")
    return isolated / "nusax"


def test_small_csv_with_quotes(small_root):
    ds = NusaXSentiment(small_root)
    assert ds.texts == ["Enak sekali, mantap!", "Biasa saja", 'Buruk, "lambat"']
    assert ds.labels.tolist() == [2, 1, 0] and ds.ids == ["1", "2", "3"]
    assert ds.label_names == ("negative", "neutral", "positive")
    assert ds[0] == ("Enak sekali, mantap!", 2)
    texts, labels = next(iter(DataLoader(ds, batch_size=3)))
    vec = TextVectorizer(output_sequence_length=4).adapt(texts)
    assert vec(texts).shape == (3, 4) and labels.numpy().tolist() == [2, 1, 0]


def test_root_may_be_the_parent_folder(small_root):
    (small_root.parent / "nusax_sentiment").symlink_to(small_root)
    assert len(NusaXSentiment(small_root.parent)) == 3


def test_missing_split_lists_places(small_root, isolated):
    with pytest.raises(DatasetNotFoundError) as info:
        NusaXSentiment(small_root, split="test")
    message = str(info.value)
    assert str(small_root / "indonesian" / "test.csv") in message
    assert str(isolated / "cache" / "jaring" / "nusax_sentiment") in message and "$JARING_DATA" in message


@pytest.mark.parametrize(
    "kwargs, message",
    [({"language": "klingon"}, "acehnese, balinese.*toba_batak"), ({"split": "dev"}, "train, valid, test")],
)
def test_bad_language_or_split(kwargs, message):
    with pytest.raises(ValueError, match=message):
        NusaXSentiment(**kwargs)


@pytest.mark.parametrize(
    "content, message",
    [
        ("id,sentence\n1,x\n", "columns text and label"),
        ("id,text,label\n1,x,happy\n", "line 2: unknown label 'happy'"),
    ],
)
def test_bad_csv(small_root, content, message):
    (small_root / "indonesian" / "train.csv").write_text(content, encoding="utf-8")
    with pytest.raises(CorruptDatasetError, match=message):
        NusaXSentiment(small_root)
