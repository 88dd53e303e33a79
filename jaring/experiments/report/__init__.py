"""A study folder's report: results.csv, figures, report.md and a self-contained report.html.

`write_report(DIR)` reads what the study runner left in DIR (study.json, the trial folders, the
Optuna journal) and never imports the runner itself, only `jaring.experiments.layout`.
"""

from jaring.experiments.report.write import write_report

__all__ = ["write_report"]
