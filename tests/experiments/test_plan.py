"""Plans: oat and grid settings and labels, a deterministic random search, quick mode, published labels."""

from __future__ import annotations

import pytest

from jaring.experiments.plan import (
    apply_quick,
    check_published,
    format_value,
    grid_settings,
    main_trials,
    oat_settings,
    random_settings,
    retrain_trials,
    search_trials,
)
from jaring.experiments.schema import StudyFileError, load_study_file
from tests.experiments.test_schema import GOOD, write

OAT = GOOD.replace('kind = "grid"', 'kind = "oat"').replace(
    "hidden = [[16], [32]]",
    "hidden = [[16], [32]]\nlr = [0.1, 0.01, 0.001]\n[baseline]\nhidden = [32]\nlr = 0.01",
)
RANDOM = GOOD.replace('kind = "grid"', 'kind = "random"\nbudget = 5\ntop_k = 2').replace(
    "hidden = [[16], [32]]", "hidden = [[16], [32], [64]]\nlr = [0.1, 0.01, 0.001]\nbatch_size = [16, 32]"
)


def test_oat_varies_one_factor_at_a_time_around_the_baseline(tmp_path):
    settings = oat_settings(load_study_file(write(tmp_path, OAT)))
    assert [x.label for x in settings] == ["baseline", "hidden=16", "lr=0.1", "lr=0.001"]
    assert settings[0].params == {"hidden": [32], "lr": 0.01}
    assert settings[3].params == {"hidden": [32], "lr": 0.001}
    assert len({x.id for x in settings}) == 4


def test_grid_labels_a_single_factor_by_its_value_and_several_by_name(tmp_path):
    s = load_study_file(write(tmp_path, GOOD))
    assert [x.label for x in grid_settings(s)] == ["16", "32"]
    two = load_study_file(
        write(tmp_path, GOOD.replace("hidden = [[16], [32]]", "hidden = [[16], [32]]\nlr = [0.1, 0.01]"))
    )
    assert [x.label for x in grid_settings(two)] == [
        "hidden=16, lr=0.1", "hidden=16, lr=0.01", "hidden=32, lr=0.1", "hidden=32, lr=0.01",
    ]  # fmt: skip


def test_format_value():
    assert format_value([128, 64]) == "128-64"
    assert format_value(True) == "true" and format_value(1e-05) == "1e-05"
    assert format_value({"name": "normal", "variance": 0.01}) == "normal(variance=0.01)"


def test_random_search_is_fixed_by_its_sampler_seed_and_draws_distinct_settings(tmp_path):
    s = load_study_file(write(tmp_path, RANDOM))
    first, again = random_settings(s), random_settings(s)
    assert [x.params for x in first] == [x.params for x in again]
    assert len(first) == 5 and len({x.id for x in first}) == 5
    other = load_study_file(write(tmp_path, RANDOM.replace("top_k = 2", "top_k = 2\nsampler_seed = 7")))
    assert [x.params for x in random_settings(other)] != [x.params for x in first]


def test_random_search_budget_larger_than_the_space_takes_the_whole_space(tmp_path):
    s = load_study_file(write(tmp_path, RANDOM.replace("budget = 5", "budget = 100")))
    assert len(random_settings(s)) == 3 * 3 * 2


def test_search_then_retrain_trials(tmp_path):
    s = load_study_file(write(tmp_path, RANDOM.replace("seeds = [0]", "seeds = [0, 1]")))
    settings = random_settings(s)
    search = search_trials(s, settings)
    assert {(t.arm, t.seed, t.phase) for t in search} == {("jaring", 0, "search")}
    retrain = retrain_trials(s, settings)
    assert len(retrain) == 2 * 2  # top 2 settings x 2 seeds x 1 arm
    assert search[0].key in {t.key for t in retrain}  # the search run of a top setting is reused


def test_main_trials_go_seed_by_seed(tmp_path):
    s = load_study_file(write(tmp_path, GOOD.replace("seeds = [0]", "seeds = [3, 4]").replace(
        'arms = ["jaring"]', 'arms = ["jaring", "pytorch"]')))  # fmt: skip
    trials = main_trials(s, grid_settings(s))
    assert [t.seed for t in trials] == [3, 3, 3, 3, 4, 4, 4, 4]
    assert trials[1].key == "s00__pytorch__s3"


def test_quick_shrinks_data_epochs_seeds_and_values(tmp_path):
    s = load_study_file(
        write(tmp_path, OAT.replace("seeds = [0]", "seeds = [5, 6]").replace("epochs = 1", "epochs = 9"))
    )
    q = apply_quick(s)
    assert q.data["train"] == 100 and q.data["test"] == 200 and q.train["epochs"] == 1
    assert q.study["seeds"] == [5]
    assert q.factors["lr"] == [0.1, 0.01] and q.factors["hidden"] == [[16], [32]]
    assert s.train["epochs"] == 9  # the original is left alone
    custom = load_study_file(write(tmp_path, OAT + "\n[quick]\ntrain = 50\nvalues = 1\n"))
    q = apply_quick(custom)
    assert q.data["train"] == 50 and q.factors["lr"] == [0.01]  # the baseline value is kept


def test_published_labels_must_name_settings(tmp_path):
    s = load_study_file(write(tmp_path, GOOD + '\n[published]\n"16" = 90.0\n"61" = 91.0\n'))
    with pytest.raises(StudyFileError, match=r"\['61'\] are not setting labels"):
        check_published(s, grid_settings(s))
