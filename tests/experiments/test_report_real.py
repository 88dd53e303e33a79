"""The report of a real (tiny) study run by the runner: the layout it reads is the one the runner writes.

Scikit-learn's bundled digits keep the run offline and a few seconds long: two widths, two seeds,
the jaring and scikit-learn arms, per-step logging and every layer's histograms.
"""

import csv
import re

import pytest

from jaring.experiments import layout
from jaring.experiments.runner import run_study

STUDY = """
[study]
title = "digits: width"
report = "003"
kind = "grid"
metric = "test_accuracy"
seeds = [0, 1]
arms = ["jaring", "sklearn"]

[model]
ready = "FFNN"
args = { activation = "relu" }

[data]
dataset = "digits"
validation = 0.2

[train]
optimizer = "sgd"
lr = 0.05
batch_size = 32
epochs = 2
log_every = 10

[factors]
hidden = [[16], [32]]

[report]
histogram_layers = "all"
"""


@pytest.mark.slow  # trains a real study before reporting it
def test_the_report_of_a_real_run_has_every_trial_table_and_figure(tmp_path):
    source = tmp_path / "digits_width.toml"
    source.write_text(STUDY)
    out = run_study(source, workers=1, out=tmp_path / "out")
    with open(out / layout.RESULTS_CSV, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 2 * 2 * 2 and {r["status"] for r in rows} == {"complete"}
    assert {r["arm"] for r in rows} == {"jaring", "sklearn"} and {r["label"] for r in rows} == {"16", "32"}
    assert all(0.0 < float(r["test_accuracy"]) <= 1.0 and float(r["seconds"]) > 0 for r in rows)
    text = (out / layout.REPORT_MD).read_text()
    table = [line for line in text.splitlines() if re.match(r"\| (16|32) \| (jaring|sklearn) \| 2 \| ", line)]
    assert len(table) == 4, text
    links = re.findall(r"\]\((figures/[^)]+\.png)\)", text)
    assert links == ["figures/curves.png", "figures/step_loss.png", "figures/distributions.png"]
    page = (out / layout.REPORT_HTML).read_text()
    assert page.count('<img src="data:image/png;base64,') == 3 and not re.search("https?:", page)
