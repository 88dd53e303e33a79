"""jaring/experiments/worker.py: two workers that TPE gives the same setting do not both run it."""

import optuna
from optuna.trial import TrialState

from jaring.experiments.worker import _taken


def _study() -> optuna.Study:
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    return optuna.create_study(direction="maximize")


def _ask_with_key(study: optuna.Study, key: str) -> optuna.Trial:
    trial = study.ask()
    trial.set_user_attr("trial_key", key)
    return trial


def test_a_key_another_worker_is_running_is_taken_and_seen_from_both_sides():
    study = _study()
    first, second = _ask_with_key(study, "t1__jaring__s0"), _ask_with_key(study, "t1__jaring__s0")
    assert _taken(study, second, "t1__jaring__s0") and _taken(study, first, "t1__jaring__s0")
    assert not _taken(study, second, "t2__jaring__s0")


def test_a_finished_or_failed_trial_does_not_take_its_key():
    study = _study()
    done, failed = _ask_with_key(study, "t1__jaring__s0"), _ask_with_key(study, "t2__jaring__s0")
    study.tell(done, 0.5)
    study.tell(failed, state=TrialState.FAIL)
    later = study.ask()
    assert not _taken(study, later, "t1__jaring__s0") and not _taken(study, later, "t2__jaring__s0")


def test_a_trial_alone_does_not_take_its_own_key():
    study = _study()
    alone = _ask_with_key(study, "t1__jaring__s0")
    assert not _taken(study, alone, "t1__jaring__s0")
