"""Training: fit / evaluate / predict, History, callbacks, metrics and the progress bar.

from jaring.training import fit, EarlyStopping
history = fit(model, x, y, loss="cce", optimizer="adam", lr=1e-3, epochs=10,
              validation_data=(x_val, y_val), callbacks=[EarlyStopping(patience=3)], verbose=1)
"""

from jaring.training import metrics
from jaring.training.callbacks import Callback, EarlyStopping, ErrorThreshold, ModelCheckpoint
from jaring.training.fit import evaluate, fit, predict
from jaring.training.history import History
from jaring.training.metrics import accuracy, confusion_matrix, f1, macro_f1, precision, recall
from jaring.training.objective import LOSS_NAMES, Objective
from jaring.training.progress import ProgressBar
from jaring.training.resume import ResumeError, TrainingRun

__all__ = [
    "LOSS_NAMES",
    "Callback",
    "EarlyStopping",
    "ErrorThreshold",
    "History",
    "ModelCheckpoint",
    "Objective",
    "ProgressBar",
    "ResumeError",
    "TrainingRun",
    "accuracy",
    "confusion_matrix",
    "evaluate",
    "f1",
    "fit",
    "macro_f1",
    "metrics",
    "precision",
    "predict",
    "recall",
]
