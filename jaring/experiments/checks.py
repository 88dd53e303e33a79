"""Checks that need the data's shape: every setting's model must build for every arm, before training.

A value the schema cannot judge alone (an activation or initializer name, a CNN too deep for the
image, a build function that does not exist) fails here, as a StudyFileError naming the setting.
"""

from __future__ import annotations

from jaring.experiments.data import StudyData, load_study_data
from jaring.experiments.models import build_model, data_layout, import_function, resolve
from jaring.experiments.plan import Setting
from jaring.experiments.schema import StudyFile, StudyFileError


def _first_values(s: StudyFile) -> list[Setting]:
    return [Setting("check", "first values", {k: v[0] for k, v in s.factors.items()})]


def check_settings_build(s: StudyFile, settings: list[Setting]) -> StudyData:
    """Build each setting's jaring model (and map it for sklearn / find its Keras builder); the data."""
    data = load_study_data(s.data, data_layout(s))
    arms = s.study["arms"]
    for setting in settings or _first_values(s):
        model_args, train = resolve(s, setting.params)
        try:
            if arms != ["keras"] or "ready" in s.model:
                build_model(s, model_args, data, 0)
            if "sklearn" in arms:
                from jaring.experiments.arms.sklearn_arm import classifier

                classifier(model_args, train, 0)
            if "keras" in arms and "build" in s.model:
                import_function(s.model["build"] + "_keras")
        except (ValueError, TypeError, ImportError, AttributeError, KeyError) as exc:
            raise StudyFileError(
                f"{s.path}: setting {setting.label!r} ({setting.params}) cannot be built: {exc}"
            ) from None
    return data
