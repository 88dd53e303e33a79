"""Studies: train one network while settings change, over seeds and arms, and report the results.

This floor sits above models, training and io. ``layout`` names the files of a study folder; the
runner modules read study files, plan the trials, run them in worker processes and store them in an
Optuna journal; ``report`` turns a finished folder into tables and figures.
"""
