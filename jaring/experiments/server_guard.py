"""Imported only as the workers' fork-server preload (see runner.worker_context): it asks Linux to
SIGKILL the fork server when the run that started it dies, so a SIGKILLed run leaves no idle server.
(Workers forked from the server make the same request for themselves: the setting is not inherited.)
"""

from jaring.experiments.worker import die_with_parent

die_with_parent()
