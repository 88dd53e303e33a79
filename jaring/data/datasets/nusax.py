"""NusaX-Senti: Indonesian sentiment (and 11 parallel local languages) read from its CSV files.

Winata et al., "NusaX: Multilingual Parallel Sentiment Dataset for 10 Indonesian Local
Languages", EACL 2023 (CC BY-SA 4.0). Each language has train/valid/test CSVs with columns
id, text, label (negative, neutral, positive): 500/100/400 rows.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np

from jaring.data.dataset import Dataset
from jaring.data.datasets.files import CorruptDatasetError, DatasetNotFoundError, search_dirs

LANGUAGES = (
    "acehnese",
    "balinese",
    "banjarese",
    "buginese",
    "english",
    "indonesian",
    "javanese",
    "madurese",
    "minangkabau",
    "ngaju",
    "sundanese",
    "toba_batak",
)
SPLITS = ("train", "valid", "test")
LABEL_NAMES = ("negative", "neutral", "positive")
SOURCE = "https://github.com/IndoNLP/nusax/tree/main/datasets/sentiment"


class NusaXSentiment(Dataset):
    """One language and split of NusaX-Senti: `.texts` (list of str), `.labels` (int64), `.ids`.

    Labels: negative = 0, neutral = 1, positive = 2 (`.label_names`). The file
    `<language>/<split>.csv` is looked for in `root`, `root/nusax_sentiment`,
    `$JARING_DATA/nusax_sentiment` and `~/.cache/jaring/nusax_sentiment`.
    Items are (text, label) pairs; a DataLoader batches the texts into a list of str.
    """

    subdir = "nusax_sentiment"
    label_names = LABEL_NAMES

    def __init__(
        self, root: str | os.PathLike | None = None, language: str = "indonesian", split: str = "train"
    ):
        if language not in LANGUAGES:
            raise ValueError(
                f"NusaXSentiment: unknown language {language!r}; choose one of {', '.join(LANGUAGES)}"
            )
        if split not in SPLITS:
            raise ValueError(f"NusaXSentiment: unknown split {split!r}; choose one of {', '.join(SPLITS)}")
        self.language, self.split = language, split
        relative = Path(language) / f"{split}.csv"
        places = search_dirs(root, self.subdir)
        found = next((p / relative for p in places if (p / relative).is_file()), None)
        if found is None:
            looked = "\n".join(f"  {p / relative}" for p in places)
            raise DatasetNotFoundError(
                f"NusaXSentiment: {relative} not found. Looked in:\n{looked}\n"
                f"To fix: set $JARING_DATA to a folder holding nusax_sentiment/{relative}, pass root=, "
                f"or copy the CSVs from {SOURCE} into one of the folders above."
            )
        self.path = found
        self.ids, self.texts, self.labels = _read_csv(found)

    def __len__(self) -> int:
        return len(self.texts)

    def __getitem__(self, index: int) -> tuple[str, int]:
        return self.texts[index], int(self.labels[index])

    def __repr__(self) -> str:
        return f"NusaXSentiment(language={self.language!r}, split={self.split!r}, size={len(self)})"


# A NusaX CSV holds about 100 KB; larger files are refused unread.
MAX_CSV_BYTES = 64 * 2**20


def _read_csv(path: Path) -> tuple[list[str], list[str], np.ndarray]:
    """The ids, texts and labels of one CSV; any damage is a CorruptDatasetError naming the file."""
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise CorruptDatasetError(
            f"{path} holds {size:,} bytes, over the limit of {MAX_CSV_BYTES:,} for a NusaX CSV", path
        )
    try:
        return _parse_csv(path)
    except UnicodeDecodeError as exc:
        raise CorruptDatasetError(
            f"{path} is not UTF-8 text (byte {exc.start} is {exc.object[exc.start : exc.start + 1]!r}); "
            "NusaX CSVs are UTF-8",
            path,
        ) from None
    except csv.Error as exc:
        raise CorruptDatasetError(f"{path} is not a readable CSV file: {exc}", path) from None


def _parse_csv(path: Path) -> tuple[list[str], list[str], np.ndarray]:
    index = {name: i for i, name in enumerate(LABEL_NAMES)}
    ids, texts, labels = [], [], []
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames is None or not {"text", "label"} <= set(reader.fieldnames):
            raise CorruptDatasetError(
                f"{path}: expected a header with columns text and label, got {reader.fieldnames}"
            )
        for row in reader:
            label = (row["label"] or "").strip()
            if label not in index:
                raise CorruptDatasetError(
                    f"{path}, line {reader.line_num}: unknown label {label!r}; "
                    f"expected one of {', '.join(LABEL_NAMES)}"
                )
            ids.append(row.get("id", str(len(ids))))
            texts.append(row["text"] or "")
            labels.append(index[label])
    return ids, texts, np.asarray(labels, dtype=np.int64)


def load_nusax_sentiment(
    root: str | os.PathLike | None = None, language: str = "indonesian"
) -> tuple[tuple[list[str], np.ndarray], ...]:
    """((train_texts, train_labels), (valid_texts, valid_labels), (test_texts, test_labels))."""
    parts = (NusaXSentiment(root, language, split) for split in SPLITS)
    return tuple((ds.texts, ds.labels) for ds in parts)
