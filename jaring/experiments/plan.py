"""From a checked study file to its settings and trials: quick mode, labels, oat/grid/random plans.

A setting is one assignment of the factors; a trial is one (setting, arm, seed). For oat, grid
and random studies the whole list is fixed here, before anything runs (a random search samples
its configurations with a seeded Optuna RandomSampler), so the numbers do not depend on how many
workers share the work. TPE settings come from the sampler while the study runs.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
from dataclasses import dataclass
from typing import Any

import optuna

from jaring.experiments.layout import trial_key
from jaring.experiments.schema import StudyFile, StudyFileError, load_study_file

QUICK_DEFAULTS = {"train": 300, "test": 200, "epochs": 1, "budget": 4, "top_k": 2, "values": 2}


@dataclass(frozen=True)
class Setting:
    """One assignment of the factors: `params` maps factor names to values."""

    id: str
    label: str
    params: dict

    def to_json(self) -> dict:
        return {"id": self.id, "label": self.label, "params": self.params}


@dataclass(frozen=True)
class TrialSpec:
    """One run: a setting trained by one arm from one seed."""

    setting: Setting
    arm: str
    seed: int
    phase: str = "main"

    @property
    def key(self) -> str:
        return trial_key(self.setting.id, self.arm, self.seed)

    def user_attrs(self) -> dict:
        return {
            "trial_key": self.key, "arm": self.arm, "setting_id": self.setting.id, "seed": self.seed,
            "label": self.setting.label, "params_json": json.dumps(self.setting.params), "phase": self.phase,
        }  # fmt: skip

    @classmethod
    def from_user_attrs(cls, attrs: dict) -> TrialSpec:
        setting = Setting(attrs["setting_id"], attrs["label"], json.loads(attrs["params_json"]))
        return cls(setting, attrs["arm"], int(attrs["seed"]), attrs.get("phase", "main"))


def apply_quick(s: StudyFile) -> StudyFile:
    """A copy of `s` shrunk for a smoke run: a small subset, few epochs, one seed, two values a factor."""
    q = {**QUICK_DEFAULTS, **s.quick}
    s = copy.deepcopy(s)
    s.data["train"] = min(s.data["train"] or q["train"], q["train"])
    s.data["test"] = min(s.data["test"] or q["test"], q["test"])
    s.train["epochs"] = min(s.train["epochs"], q["epochs"])
    s.study["seeds"] = list(q.get("seeds", s.study["seeds"][:1]))
    if "budget" in s.study:
        s.study["budget"] = min(s.study["budget"], q["budget"])
        s.study["top_k"] = min(s.study["top_k"], q["top_k"])
    for name, values in s.factors.items():
        keep = values[: q["values"]]
        if name in s.baseline and s.baseline[name] not in keep:
            keep = [s.baseline[name], *keep[: q["values"] - 1]]
        s.factors[name] = keep
    return s


def format_value(value: Any) -> str:
    """How a factor value appears in labels: lists as 128-64, booleans as true/false, numbers short."""
    if isinstance(value, list):
        return "-".join(format_value(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):  # an initializer with arguments: normal(variance=0.01)
        rest = ", ".join(f"{k}={format_value(v)}" for k, v in value.items() if k != "name")
        return f"{value.get('name', '')}({rest})" if rest else str(value.get("name", ""))
    return str(value)


def _label(params: dict, single_factor: bool) -> str:
    if single_factor:
        return format_value(next(iter(params.values())))
    return ", ".join(f"{k}={format_value(v)}" for k, v in params.items())


def oat_settings(s: StudyFile) -> list[Setting]:
    """The baseline, then each factor's other values with everything else at the baseline."""
    base = {k: s.baseline[k] for k in s.factors}
    settings = [Setting("s00", "baseline", base)]
    for name, values in s.factors.items():
        for value in values:
            if value == base[name]:
                continue
            settings.append(
                Setting(f"s{len(settings):02d}", f"{name}={format_value(value)}", {**base, name: value})
            )
    return settings


def grid_settings(s: StudyFile) -> list[Setting]:
    """Every combination of the factors' values, in the file's order."""
    names = list(s.factors)
    combos = itertools.product(*(s.factors[n] for n in names))
    return [
        Setting(f"s{i:02d}", _label(dict(zip(names, combo)), len(names) == 1), dict(zip(names, combo)))
        for i, combo in enumerate(combos)
    ]


def search_distributions(s: StudyFile) -> dict[str, optuna.distributions.CategoricalDistribution]:
    """Each factor as an Optuna categorical over the labels of its values (lists are not choices)."""
    return {
        name: optuna.distributions.CategoricalDistribution([format_value(v) for v in values])
        for name, values in s.factors.items()
    }


def params_from_choices(s: StudyFile, choices: dict[str, str]) -> dict:
    """Factor values back from the labels Optuna chose."""
    return {
        name: s.factors[name][[format_value(v) for v in s.factors[name]].index(c)]
        for name, c in choices.items()
    }


def setting_from_params(s: StudyFile, params: dict, prefix: str) -> Setting:
    """A setting whose id is a short hash of its values, so the same values always get the same id."""
    digest = hashlib.sha1(json.dumps(params, sort_keys=True).encode()).hexdigest()[:8]
    return Setting(f"{prefix}{digest}", _label(params, False), params)


def random_settings(s: StudyFile) -> list[Setting]:
    """`budget` distinct configurations drawn by a seeded Optuna RandomSampler, in draw order."""
    distributions = search_distributions(s)
    space = 1
    for values in s.factors.values():
        space *= len(values)
    budget = min(s.study["budget"], space)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    sampler_study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=s.study["sampler_seed"]))
    settings: list[Setting] = []
    seen: set[str] = set()
    while len(settings) < budget:
        trial = sampler_study.ask(distributions)
        sampler_study.tell(trial, 0.0)
        setting = setting_from_params(s, params_from_choices(s, trial.params), "r")
        if setting.id not in seen:
            seen.add(setting.id)
            settings.append(setting)
    return settings


def planned_settings(s: StudyFile) -> list[Setting]:
    """The settings known before the run: all of them for oat/grid/random, none yet for tpe."""
    kind = s.study["kind"]
    if kind == "oat":
        return oat_settings(s)
    if kind == "grid":
        return grid_settings(s)
    if kind == "random":
        return random_settings(s)
    return []


def check_published(s: StudyFile, settings: list[Setting]) -> None:
    """Every [published] label must name a planned setting (oat/grid), so a typo cannot hide a number."""
    if s.study["kind"] not in ("oat", "grid"):
        return
    labels = [x.label for x in settings]
    unknown = [k for k in s.published if k not in labels]
    if unknown:
        raise StudyFileError(
            f"{s.path}: [published]: {unknown} are not setting labels; the labels are {labels}"
        )


def main_trials(s: StudyFile, settings: list[Setting]) -> list[TrialSpec]:
    """Every (setting, arm, seed) of an oat/grid study; seed by seed, so early results cover all settings."""
    return [TrialSpec(x, arm, seed) for seed in s.study["seeds"] for x in settings for arm in s.study["arms"]]


def search_trials(s: StudyFile, settings: list[Setting]) -> list[TrialSpec]:
    """A search's first phase: every setting once, with the first arm and the first seed."""
    return [TrialSpec(x, s.study["arms"][0], s.study["seeds"][0], "search") for x in settings]


def retrain_trials(s: StudyFile, ranked: list[Setting]) -> list[TrialSpec]:
    """A search's second phase: the top_k settings over every seed and arm."""
    top = ranked[: s.study["top_k"]]
    return [
        TrialSpec(x, arm, seed, "retrain")
        for seed in s.study["seeds"]
        for x in top
        for arm in s.study["arms"]
    ]


def load_resolved(path: str, quick: bool) -> StudyFile:
    """The checked study file at `path`, shrunk by apply_quick when `quick`."""
    s = load_study_file(path)
    return apply_quick(s) if quick else s
