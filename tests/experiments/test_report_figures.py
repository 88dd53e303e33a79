"""The report's pictures: curves, per-step loss, distributions, and Optuna's plots for searches.

Each PNG must really show something (size, ink), and the Optuna plots, drawn with pyplot, must leave
neither open figures nor their ggplot style behind.
"""

import matplotlib
import pytest

from jaring.experiments import layout
from jaring.experiments.report import write_report
from tests.experiments.report.fake_study import write_fake_study
from tests.viz.pictures import assert_drawn_png


@pytest.fixture(scope="module")
def search(tmp_path_factory):
    """A random search over 6 settings, one seed each, whose best 2 were re-trained on 2 more seeds."""
    out = tmp_path_factory.mktemp("search")
    write_fake_study(
        out,
        kind="random",
        seeds=(0,),
        top_k=2,
        search_size=6,
        published={"trial 5": 91.0},
        histogram_layers=(),
    )
    style = dict(matplotlib.rcParams)
    write_report(out)
    return out, style


@pytest.mark.slow  # draws every figure of a study
def test_curves_step_loss_and_distributions_are_drawn(tmp_path):
    write_fake_study(tmp_path, arms=("jaring", "pytorch"), seeds=(0, 1), step=True)
    write_report(tmp_path)
    figures = tmp_path / layout.FIGURES_DIR
    curves = assert_drawn_png(figures / "curves.png", min_width=1000, min_height=600)
    assert curves.shape[0] > 600  # a row of panels per arm
    assert_drawn_png(figures / "step_loss.png", min_width=800, min_height=600)
    assert_drawn_png(figures / "distributions.png", min_width=800, min_height=400)


@pytest.mark.slow  # Optuna's plots of a search: seconds
def test_a_search_gets_optunas_three_plots_without_leaking_pyplot_state(search):
    out, style_before = search
    figures = out / layout.FIGURES_DIR
    for name in ("optuna_history.png", "optuna_parallel.png", "optuna_importance.png"):
        assert_drawn_png(figures / name)
    import matplotlib.pyplot as plt

    assert plt.get_fignums() == []
    assert matplotlib.rcParams["axes.facecolor"] == style_before["axes.facecolor"]  # ggplot would be grey
    text = (out / layout.REPORT_MD).read_text()
    for picture in ("optuna_history", "optuna_parallel", "optuna_importance"):
        assert f"(figures/{picture}.png)" in text


@pytest.mark.slow  # Optuna's plots of a search: seconds
def test_a_random_search_lists_its_settings_best_first_and_its_re_trained_top_k(search):
    out, _ = search
    text = (out / layout.REPORT_MD).read_text()
    results = text.split("## Results per setting")[1].split("##")[0]
    order = [line.split(" | ")[0][2:] for line in results.splitlines() if line.startswith("| t0")]
    assert order == [f"t00{i}" for i in (5, 4, 3, 2, 1, 0)]  # a search is listed best first, by id
    assert "| t005 | 0.02462 | sigmoid | jaring | 1 | 90.00 | 3 | 91.00 | −1.00 |" in results
    top = text.split("## Top 2 re-trained")[1].split("##")[0]
    # The search run is the first seed of the re-training; seeds 101, 102 score like seeds 1, 2 in the
    # fake (0.80 + 0.02 i + 0.003 s), so setting 5 has 0.900, 0.903, 0.906.
    assert "| 1 | t005 | lr=0.02462, activation=sigmoid | jaring | 90.00 | 90.30 ± 0.30 | 3 | 91.00 |" in top
    assert "| 2 | t004 |" in top


@pytest.mark.slow  # Optuna's plots of a search
def test_a_search_with_one_trial_says_why_two_plots_are_missing(tmp_path):
    write_fake_study(tmp_path, kind="tpe", seeds=(0,), search_size=1, histogram_layers=())
    text = (write_report(tmp_path).parent / layout.REPORT_MD).read_text()
    assert "(figures/optuna_history.png)" in text
    assert "need at least two finished trials with parameters; this search has 1" in text
    assert not (tmp_path / layout.FIGURES_DIR / "optuna_parallel.png").exists()


@pytest.mark.slow  # Optuna's plots of a search: seconds
def test_parameter_importances_that_cannot_be_computed_become_a_sentence(tmp_path, monkeypatch):
    from optuna.visualization import matplotlib as optuna_plots

    def refuse(study):
        raise RuntimeError("dynamic search space")

    monkeypatch.setattr(optuna_plots, "plot_param_importances", refuse)
    write_fake_study(tmp_path, kind="tpe", seeds=(0,), search_size=3, histogram_layers=())
    text = (write_report(tmp_path).parent / layout.REPORT_MD).read_text()
    assert "Parameter importances could not be computed from 3 trials: dynamic search space" in text
    assert "(figures/optuna_parallel.png)" in text
