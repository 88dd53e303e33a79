"""Read a study folder into plain records: study.json, the complete trial folders, the Optuna journal.

The trial folders are the truth for finished trials (a trial is complete once its metrics.json
exists); the journal adds what no folder can say: which trials failed, were pruned or are still
running. Nothing here writes to the folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jaring.experiments import layout

# The traceback of a failed trial, written by the runner's worker beside params.json.
ERROR_TXT = "error.txt"
# Optuna trial states as the report words them.
_STATES = {
    "COMPLETE": "complete",
    "FAIL": "failed",
    "RUNNING": "running",
    "PRUNED": "pruned",
    "WAITING": "waiting",
}


@dataclass
class Trial:
    """One (setting, arm, seed) run: what it was, how it ended, and its folder when it has one."""

    key: str
    arm: str
    setting_id: str
    label: str
    params: dict[str, Any]
    seed: int | None
    status: str
    metrics: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    phase: str = "main"
    error: str = ""

    @property
    def complete(self) -> bool:
        return self.status == "complete"

    @property
    def retrain(self) -> bool:
        """A random search's second look at a top setting ("main" and "search" trials are first runs)."""
        return self.phase == "retrain"

    def read(self, name: str) -> Any:
        """The JSON file `name` of this trial's folder, or None when it has none."""
        if self.path is None or not (self.path / name).exists():
            return None
        return layout.read_json(self.path / name)


@dataclass
class StudyData:
    """Everything the report shows: the resolved study, its trials in display order, the Optuna study."""

    out_dir: Path
    study: dict[str, Any]
    trials: list[Trial]
    optuna_study: Any = None
    journal_note: str = ""

    @property
    def complete(self) -> list[Trial]:
        return [t for t in self.trials if t.complete]

    @property
    def scale(self) -> float:
        return float(self.study.get("metric_scale", 1))

    @property
    def is_search(self) -> bool:
        return self.study.get("kind") in ("random", "tpe")

    def setting_name(self, setting_id: str, label: str) -> str:
        """How tables and legends name a setting: its label, or for a search its short id (a sampled
        setting's label spells out every parameter, which the tables show in columns anyway)."""
        return setting_id if self.is_search else label


def load_study_data(out_dir: str | os.PathLike) -> StudyData:
    """Read DIR; FileNotFoundError naming the folder when it is not a study folder.

    The StudyData holds `study` (study.json: the resolved study file), `trials` (one Trial a run,
    finished or not: key, arm, setting_id, label, params, seed, status, metrics, path) in the
    report's order, and the Optuna study of the journal (None, with `journal_note` saying why, when
    there is none). It works on a study that is still running, and writes nothing.

    Examples:
        >>> from pathlib import Path
        >>> from jaring.experiments.report.load import load_study_data
        >>> from jaring.experiments.runner import run_study
        >>> _ = Path("tiny.toml").write_text('''
        ... model = { ready = "FFNN" }
        ... data = { dataset = "digits" }
        ... train = { optimizer = "adam", lr = 0.01, batch_size = 32, epochs = 1 }
        ... factors = { lr = [0.01, 0.1] }
        ... [study]
        ... title = "Tiny"
        ... report = "000"
        ... kind = "grid"
        ... metric = "test_accuracy"
        ... seeds = [0]
        ... arms = ["jaring"]
        ... ''')
        >>> _ = run_study("tiny.toml", quick=True, workers=1, out="tiny", report=False)
        >>> data = load_study_data("tiny")
        >>> data.study["kind"], data.study["arms"], data.study["seeds"]
        ('grid', ['jaring'], [0])
        >>> for t in data.trials:
        ...     print(t.key, t.label, t.status, t.params, t.seed)
        s00__jaring__s0 0.01 complete {'lr': 0.01} 0
        s01__jaring__s0 0.1 complete {'lr': 0.1} 0
        >>> sorted(data.trials[0].metrics)
        ['epochs_run', 'seconds', 'seconds_per_epoch', 'status', 'test_accuracy', 'test_macro_f1']
        >>> all(0 <= t.metrics["test_accuracy"] <= 1 for t in data.complete)
        True
    """
    root = Path(out_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"write_report: the study folder {str(root)!r} does not exist")
    study_path = root / layout.STUDY_JSON
    if not study_path.exists():
        raise FileNotFoundError(
            f"write_report: {str(root)!r} has no {layout.STUDY_JSON}; give the --out folder of a "
            "`jaring study run` (it writes study.json before any trial starts)"
        )
    study = layout.read_json(study_path)
    optuna_study, note = _load_optuna(root, study)
    trials = _merge(root, study, layout.completed_trials(root), _journal_trials(optuna_study))
    return StudyData(root, study, _in_display_order(study, trials), optuna_study, note)


def _load_optuna(root: Path, study: dict[str, Any]) -> tuple[Any, str]:
    """The Optuna study of the journal, or (None, why not) when there is no journal to read."""
    journal = root / study.get("storage", layout.JOURNAL)
    if not journal.exists():
        return None, f"no Optuna journal ({journal.name}) yet, so failed or running trials are not known"
    import optuna
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend

    storage = JournalStorage(JournalFileBackend(str(journal)))
    name = study.get("optuna_study_name") or study.get("name")
    try:
        return optuna.load_study(study_name=name, storage=storage), ""
    except KeyError:
        names = [s.study_name for s in optuna.get_all_study_summaries(storage)]
        return None, f"the journal {journal.name} holds no study named {name!r} (it has {names})"


def _journal_trials(optuna_study: Any) -> dict[str, dict[str, Any]]:
    """{trial_key: facts} from the journal; a key tried again keeps its best outcome."""
    if optuna_study is None:
        return {}
    found: dict[str, dict[str, Any]] = {}
    for trial in optuna_study.get_trials(deepcopy=False):
        attrs = trial.user_attrs
        key = attrs.get("trial_key")
        if key is None:
            continue
        state = _STATES.get(trial.state.name, trial.state.name.lower())
        earlier = found.get(key)
        if earlier is not None and earlier["status"] == "complete":
            continue  # a finished run is never undone by a later attempt of the same key
        found[key] = {
            "status": state,
            "arm": attrs.get("arm", ""),
            "setting_id": attrs.get("setting_id", ""),
            "seed": attrs.get("seed"),
            "params": dict(trial.params),
            "error": str(attrs.get("error", "")),
            "phase": attrs.get("phase", "main"),
            "value": trial.value,
        }
    return found


def _last_error_line(folder: Path) -> str:
    """The exception line ("ValueError: ...") of the traceback a failed trial left in error.txt, or ""."""
    path = folder / ERROR_TXT
    if not path.exists():
        return ""
    lines = [line.strip() for line in path.read_text(encoding="utf-8", errors="replace").splitlines()]
    return next((line for line in reversed(lines) if line), "")


def _setting_of(study: dict[str, Any], setting_id: str) -> dict[str, Any]:
    return next((s for s in study.get("settings", []) if s.get("id") == setting_id), {})


def _merge(root: Path, study: dict[str, Any], folders: list[dict], journal: dict[str, dict]) -> list[Trial]:
    """One Trial per key: complete folders first, then trials the journal knows but no folder finished."""
    trials: dict[str, Trial] = {}
    for record in folders:
        key = record.get("trial_key") or record["path"].name
        extras = journal.get(key, {})
        status = str(record.get("status", "complete"))
        metrics = {
            k: v
            for k, v in record.items()
            if k not in ("trial_key", "arm", "setting_id", "label", "params", "seed", "path", "phase")
        }
        trials[key] = Trial(
            key=key,
            arm=record.get("arm", ""),
            setting_id=record.get("setting_id", ""),
            label=str(record.get("label") or record.get("setting_id", "")),
            params=record.get("params", {}),
            seed=record.get("seed"),
            status=status,
            metrics=metrics,
            path=record["path"],
            phase=record.get("phase", extras.get("phase", "main")),
            error=extras.get("error", ""),
        )
    for key, facts in journal.items():
        if key in trials:
            continue
        folder = layout.trial_dir(root, key)
        setting = _setting_of(study, facts["setting_id"])
        trials[key] = Trial(
            key=key,
            arm=facts["arm"],
            setting_id=facts["setting_id"],
            label=str(setting.get("label") or facts["setting_id"]),
            params=setting.get("params") or facts["params"],
            seed=facts["seed"],
            # A journal COMPLETE without a metrics.json means the folder was lost: show it as incomplete.
            status="incomplete" if facts["status"] == "complete" else facts["status"],
            path=folder if folder.is_dir() else None,
            phase=facts["phase"],
            error=facts["error"] or _last_error_line(folder),
        )
    return list(trials.values())


def _in_display_order(study: dict[str, Any], trials: list[Trial]) -> list[Trial]:
    """Settings in study.json order (unknown ones after, by id), then arms in study order, then seed."""
    settings = [s.get("id") for s in study.get("settings", [])]
    arms = list(study.get("arms", []))

    def rank(trial: Trial) -> tuple:
        s = settings.index(trial.setting_id) if trial.setting_id in settings else len(settings)
        a = arms.index(trial.arm) if trial.arm in arms else len(arms)
        return (s, trial.setting_id, a, trial.arm, trial.retrain, trial.seed or 0, trial.key)

    return sorted(trials, key=rank)
