"""The PyTorch arm: the jaring model's twin, trained on the same batches with the same optimizer and loss.

The twin starts from the jaring model's initial weights (same seed), the batches come from the
permutations jaring's DataLoader draws from the same seed (one per epoch), and the loss is
cross-entropy on logits plus the model's L1/L2 penalty on the weights, as jaring computes it.
"""

from __future__ import annotations

import math
import time

import numpy as np
import torch

from jaring.experiments.arms.common import ArmResult, ArmRun, scores, time_metrics
from jaring.experiments.arms.torch_twin import torch_twin
from jaring.experiments.models import build_model
from jaring.training.metrics import macro_f1

OPTIMIZERS = {
    "sgd": lambda p, lr: torch.optim.SGD(p, lr=lr),
    "momentum": lambda p, lr: torch.optim.SGD(p, lr=lr, momentum=0.9),
    "adam": lambda p, lr: torch.optim.Adam(p, lr=lr),
    "adamw": lambda p, lr: torch.optim.AdamW(p, lr=lr),
    "rmsprop": lambda p, lr: torch.optim.RMSprop(p, lr=lr),
    "adagrad": lambda p, lr: torch.optim.Adagrad(p, lr=lr),
}


def _penalty(twin: torch.nn.Module, l1: float, l2: float) -> torch.Tensor | float:
    if not l1 and not l2:
        return 0.0
    weights = [m.weight for m in twin.modules() if isinstance(m, torch.nn.Linear)]
    return sum(l1 * w.abs().sum() + l2 * (w * w).sum() for w in weights)


def predict_labels(twin: torch.nn.Module, x: np.ndarray, batch: int = 500) -> np.ndarray:
    twin.eval()
    with torch.no_grad():
        return np.concatenate(
            [twin(torch.from_numpy(x[i : i + batch])).argmax(1).numpy() for i in range(0, len(x), batch)]
        )


def _evaluate(twin: torch.nn.Module, x: np.ndarray, y: np.ndarray, with_f1: bool) -> dict[str, float]:
    twin.eval()
    total, labels = 0.0, []
    with torch.no_grad():
        for i in range(0, len(x), 500):
            out = twin(torch.from_numpy(x[i : i + 500]))
            total += float(
                torch.nn.functional.cross_entropy(out, torch.from_numpy(y[i : i + 500]), reduction="sum")
            )
            labels.append(out.argmax(1).numpy())
    pred = np.concatenate(labels)
    logs = {"val_loss": total / len(x), "val_accuracy": float((pred == y).mean())}
    if with_f1:
        logs["val_macro_f1"] = float(macro_f1(y, pred))
    return logs


def train(run: ArmRun) -> ArmResult:
    """Train the twin of the trial's jaring model; the same history keys and test metrics as jaring."""
    d, t = run.data, run.train
    torch.manual_seed(run.spec.seed)  # dropout masks
    twin = torch_twin(build_model(run.study, run.model_args, d, run.spec.seed))
    l1, l2 = float(run.model_args.get("l1", 0.0)), float(run.model_args.get("l2", 0.0))
    opt = OPTIMIZERS[t["optimizer"]](twin.parameters(), t["lr"])
    xs, ys = torch.from_numpy(d.x_train), torch.from_numpy(d.y_train.astype(np.int64))
    rng = np.random.default_rng(run.spec.seed)  # the permutations jaring's DataLoader draws
    with_f1 = run.study.study["metric"] == "test_macro_f1"
    history: dict[str, list[float]] = {}
    step_losses: list[float] = []
    step = 0
    start = time.perf_counter()
    for _ in range(t["epochs"]):
        twin.train()
        order = torch.from_numpy(rng.permutation(len(xs)))
        total, correct, preds = 0.0, 0, []
        for i in range(0, len(xs), t["batch_size"]):
            idx = order[i : i + t["batch_size"]]
            out = twin(xs[idx])
            loss = torch.nn.functional.cross_entropy(out, ys[idx]) + _penalty(twin, l1, l2)
            opt.zero_grad()
            loss.backward()
            opt.step()
            value = float(loss.detach())
            total += value * len(idx)
            pred = out.argmax(1)
            correct += int((pred == ys[idx]).sum())
            preds.append((idx.numpy(), pred.numpy()))
            step += 1
            if t["log_every"] and step % t["log_every"] == 0:
                step_losses.append(value)
        logs = {"loss": total / len(xs), "accuracy": correct / len(xs)}
        if with_f1:
            logs["macro_f1"] = float(macro_f1(d.y_train[np.concatenate([p[0] for p in preds])],
                                              np.concatenate([p[1] for p in preds])))  # fmt: skip
        if d.x_val is not None:
            logs.update(_evaluate(twin, d.x_val, d.y_val, with_f1))
        for key, value in logs.items():
            history.setdefault(key, []).append(float(value))
        threshold = t["error_threshold"]
        if not math.isfinite(logs["loss"]) or (threshold is not False and logs["loss"] < threshold):
            break
    seconds = time.perf_counter() - start
    record: dict = {"epoch": history}
    if t["log_every"]:
        record["step"] = {"loss": step_losses, "every": t["log_every"]}
    metrics = {
        **scores(d.y_test, predict_labels(twin, d.x_test)),
        **time_metrics(seconds, len(history["loss"])),
    }
    return ArmResult(record, metrics)
