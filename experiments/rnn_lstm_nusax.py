"""NusaX-Indonesian sentiment with SimpleRNN and LSTM classifiers, trained by jaring and by PyTorch.

    JARING_DATA=/path/to/datasets python experiments/rnn_lstm_nusax.py [--cells rnn lstm] [--seeds 0 1 2]

The seed's studies: Embedding -> [Bidirectional] SimpleRNN/LSTM x layers -> Dropout -> Dense
softmax for 1/2/3 layers x 8/16/24 units x uni/bidirectional. Both frameworks get the same
token ids (one TextVectorizer adapted on the training texts), the same initial weights (the
PyTorch network copies jaring's) and the same batch order; padding is masked in both (jaring
with mask_zero, PyTorch with packed sequences, which compute the same thing). Each model
trains with Adam until the validation macro-F1 has not improved for `--patience` epochs and
keeps its best-validation weights; the table shows test macro-F1 and training seconds per
epoch (one thread each; the frameworks alternate epoch by epoch so machine load hits both),
the mean (± sd) over --seeds when several are given.
Not a test: it needs the real NusaX CSVs and takes minutes.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # single-threaded BLAS for both, before numpy loads
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import itertools  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

from jaring.autograd.function import no_grad  # noqa: E402
from jaring.data.datasets import load_nusax_sentiment  # noqa: E402
from jaring.data.text import TextVectorizer  # noqa: E402
from jaring.models import TextClassifier  # noqa: E402
from jaring.nn.recurrent import Bidirectional  # noqa: E402
from jaring.optim import get_optimizer  # noqa: E402
from jaring.training.metrics import macro_f1  # noqa: E402


@dataclass
class Settings:
    embedding_dim: int = 64
    dropout: float = 0.5
    lr: float = 0.005
    batch: int = 32
    max_tokens: int = 3000
    sequence_length: int = 60
    max_epochs: int = 40
    patience: int = 8


class TorchText(torch.nn.Module):
    """The TextClassifier's network in PyTorch, weights copied from a jaring model."""

    def __init__(self, model: TextClassifier) -> None:
        super().__init__()
        bi = model.direction == "bi"
        kind = torch.nn.LSTM if model.cell == "LSTM" else torch.nn.RNN
        self.embedding = torch.nn.Embedding(model.vocab_size, model.embedding.dim)
        self.layers = torch.nn.ModuleList()
        width = model.embedding.dim
        for units in model.units:
            self.layers.append(kind(width, units, batch_first=True, bidirectional=bi))
            width = 2 * units if bi else units
        self.dropout = torch.nn.Dropout(model.dropout.p)
        self.dense = torch.nn.Linear(width, model.num_classes)
        self._copy_from(model)

    def _copy_from(self, model: TextClassifier) -> None:
        def put(param: torch.Tensor, value: Any) -> None:
            param.copy_(torch.from_numpy(value.numpy() if hasattr(value, "numpy") else value))

        with torch.no_grad():
            put(self.embedding.weight, model.embedding.weight)
            for ours, theirs in zip(self.layers, model.recurrent):
                directions = (
                    [("", theirs.forward_layer), ("_reverse", theirs.backward_layer)]
                    if isinstance(theirs, Bidirectional)
                    else [("", theirs)]
                )
                for suffix, layer in directions:
                    put(getattr(ours, f"weight_ih_l0{suffix}"), layer.weight_ih)
                    put(getattr(ours, f"weight_hh_l0{suffix}"), layer.weight_hh)
                    put(getattr(ours, f"bias_ih_l0{suffix}"), layer.bias)
                    getattr(ours, f"bias_hh_l0{suffix}").zero_()
            put(self.dense.weight, model.dense.weight)
            put(self.dense.bias, model.dense.bias)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        lengths = (ids != 0).sum(1).clamp(min=1)  # an empty text reads one padding step
        h: Any = torch.nn.utils.rnn.pack_padded_sequence(
            self.embedding(ids), lengths, batch_first=True, enforce_sorted=False
        )
        for layer in self.layers:
            h, last = layer(h)
        last = last[0] if isinstance(last, tuple) else last  # LSTM: (h_n, c_n)
        final = torch.cat(list(last), dim=1)  # (directions, batch, units) -> forward then backward
        return self.dense(self.dropout(final))


class Run:
    """One framework's model: train an epoch, score macro-F1, keep the best-validation weights."""

    def __init__(self, name: str, model: Any, s: Settings, x: np.ndarray, y: np.ndarray, seed: int):
        self.name, self.model, self.s, self.x, self.y = name, model, s, x, y
        self.order = np.random.default_rng(seed)
        self.seconds, self.epochs, self.best, self.best_epoch = 0.0, 0, -1.0, 0
        self.best_state: Any = None
        if name == "jaring":
            self.opt = get_optimizer("adam", model.parameters(), lr=s.lr)
        else:
            self.opt = torch.optim.Adam(model.parameters(), lr=s.lr)
            self.xs, self.ys = torch.from_numpy(x), torch.from_numpy(y)

    def epoch(self) -> None:
        start = time.perf_counter()
        if self.name == "jaring":
            self.model.fit(self.x, self.y, batch_size=self.s.batch, optimizer=self.opt, seed=self.order)
        else:
            self.model.train()
            order = torch.from_numpy(self.order.permutation(len(self.x)))
            for i in range(0, len(self.x), self.s.batch):
                idx = order[i : i + self.s.batch]
                loss = torch.nn.functional.cross_entropy(self.model(self.xs[idx]), self.ys[idx])
                self.opt.zero_grad()
                loss.backward()
                self.opt.step()
        self.seconds += time.perf_counter() - start
        self.epochs += 1

    def labels(self, x: np.ndarray) -> np.ndarray:
        if self.name == "jaring":
            return self.model.predict_classes(x)
        self.model.eval()
        with torch.no_grad():
            return self.model(torch.from_numpy(x)).argmax(1).numpy()

    def validate(self, x: np.ndarray, y: np.ndarray) -> bool:
        """Score the epoch on validation data; False once `patience` epochs brought nothing better."""
        score = macro_f1(y, self.labels(x))
        if score > self.best:
            self.best, self.best_epoch = score, self.epochs
            state = self.model.state_dict()
            self.best_state = {k: v.copy() if hasattr(v, "copy") else v.clone() for k, v in state.items()}
        return self.epochs - self.best_epoch < self.s.patience and self.epochs < self.s.max_epochs

    def restore_best(self) -> None:
        self.model.load_state_dict(self.best_state)


def study(cell: str, layers: int, units: int, direction: str, data: tuple, s: Settings, seed: int) -> dict:
    (x, y), (xv, yv), (xt, yt) = data
    model = TextClassifier(
        vocab_size=s.max_tokens, sequence_length=s.sequence_length, cell=cell, units=units,
        num_layers=layers, direction=direction, embedding_dim=s.embedding_dim, dropout=s.dropout, seed=seed,
    )  # fmt: skip
    torch.manual_seed(seed)  # PyTorch's dropout masks, reproducible per study
    twin = TorchText(model)
    model.eval()
    twin.eval()
    with no_grad(), torch.no_grad():
        gap = np.abs(model.logits(xt[:64]).numpy() - twin(torch.from_numpy(xt[:64])).numpy()).max()
    model.train()
    runs = [Run("jaring", model, s, x, y, seed), Run("torch", twin, s, x, y, seed)]
    active = list(runs)
    while active:
        for run in list(active):
            run.epoch()
            if not run.validate(xv, yv):
                active.remove(run)
    result = {"start_gap": float(gap)}
    for run in runs:
        run.restore_best()
        result[run.name] = {
            "f1": macro_f1(yt, run.labels(xt)),
            "val_f1": run.best,
            "s_per_epoch": run.seconds / run.epochs,
            "epochs": run.epochs,
        }
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="jaring vs PyTorch SimpleRNN/LSTM on NusaX-Indonesian")
    parser.add_argument("--cells", nargs="+", default=["rnn", "lstm"], choices=["rnn", "lstm"])
    parser.add_argument("--layers", nargs="+", type=int, default=[1, 2, 3])
    parser.add_argument("--units", nargs="+", type=int, default=[8, 16, 24])
    parser.add_argument("--directions", nargs="+", default=["uni", "bi"], choices=["uni", "bi"])
    parser.add_argument("--max-epochs", type=int, default=Settings.max_epochs)
    parser.add_argument("--patience", type=int, default=Settings.patience)
    parser.add_argument("--seeds", nargs="+", type=int, default=[0], help="several: mean and sd per cell")
    parser.add_argument(
        "--root", default=None, help="folder holding nusax_sentiment/ (default: $JARING_DATA)"
    )
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    s = Settings(max_epochs=args.max_epochs, patience=args.patience)
    (xtr, ytr), (xva, yva), (xte, yte) = load_nusax_sentiment(args.root, "indonesian")
    vectorizer = TextVectorizer(s.max_tokens, s.sequence_length).adapt(xtr)
    data = tuple((vectorizer(x), y) for x, y in ((xtr, ytr), (xva, yva), (xte, yte)))
    majority = macro_f1(yte, np.full_like(yte, np.bincount(ytr).argmax()))
    sizes = f"{len(ytr)}/{len(yva)}/{len(yte)} texts, vocabulary {vectorizer.vocabulary_size()}"
    print(f"NusaX-Indonesian: {sizes}, majority-class test macro-F1 {majority:.3f}; "
          f"seeds {args.seeds}; {s}", flush=True)  # fmt: skip
    print("| cell | layers | units | direction | jaring test macro-F1 | torch test macro-F1 | "
          "jaring s/epoch | torch s/epoch | epochs (j/t) | start gap |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|", flush=True)
    best: dict = {}
    for cell, layers, units, direction in itertools.product(
        args.cells, args.layers, args.units, args.directions
    ):
        runs = [study(cell, layers, units, direction, data, s, seed) for seed in args.seeds]
        name = "SimpleRNN" if cell == "rnn" else "LSTM"
        cols = {
            fw: {key: [r[fw][key] for r in runs] for key in ("f1", "s_per_epoch", "epochs")}
            for fw in ("jaring", "torch")
        }
        j, t = cols["jaring"], cols["torch"]
        best[name] = max(best.get(name, 0.0), float(np.mean(j["f1"])))
        gap = max(r["start_gap"] for r in runs)
        print(f"| {name} | {layers} | {units} | {direction} | {_score(j['f1'])} | {_score(t['f1'])} | "
              f"{np.mean(j['s_per_epoch']):.3f} | {np.mean(t['s_per_epoch']):.3f} | "
              f"{np.mean(j['epochs']):.0f}/{np.mean(t['epochs']):.0f} | {gap:.1e} |", flush=True)  # fmt: skip
    print("best jaring test macro-F1: " + ", ".join(f"{k} {v:.3f}" for k, v in best.items()), flush=True)


def _score(values: list[float]) -> str:
    """A mean, with the standard deviation across seeds when there are several."""
    if len(values) == 1:
        return f"{values[0]:.3f}"
    return f"{np.mean(values):.3f} ± {np.std(values, ddof=1):.3f}"


if __name__ == "__main__":
    main()
