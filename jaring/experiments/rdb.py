"""A study in a database server (Optuna's RDBStorage), shared by workers on any number of machines.

`--storage postgresql://USER[:PASSWORD]@HOST[:PORT]/DB` (or `mysql://...`) puts the study's trials in
that database instead of DIR/journal.log. Every running trial's worker records a heartbeat every
HEARTBEAT_SECONDS; a trial whose heartbeat is older than GRACE_SECONDS (its worker died, or its
machine) is marked FAIL by the next worker or driver that looks, and RetryHeartbeatStaleTrialCallback
(what older Optuna called RetryFailedTrialCallback) queues a copy of it, so another worker runs it.

The study's own description travels in the storage too (study user attributes): the study file's
text, --quick, its fingerprint and study.json, so a worker needs only the URL and the study name.
"""

from __future__ import annotations

import contextlib
import threading
import warnings
from collections.abc import Iterator
from typing import Any

import optuna
from optuna.storages import RDBStorage, RetryHeartbeatStaleTrialCallback

HEARTBEAT_SECONDS = 2
GRACE_SECONDS = 8  # four missed heartbeats: a dead worker's trial is queued again 8 to 10 s later
CONNECT_TIMEOUT_SECONDS = 5
MAX_RETRY = 3  # a trial whose worker died this many times is left failed (it probably kills workers)
SCHEMES = {"postgresql": "postgres", "mysql": "mysql"}  # URL scheme -> the jaring extra it needs

# Study user attributes written by the driver (`jaring study run --storage`).
SOURCE_ATTR = "jaring_source"  # the study file's text
FILE_NAME_ATTR = "jaring_file_name"
QUICK_ATTR = "jaring_quick"
FINGERPRINT_ATTR = "jaring_fingerprint"
STUDY_JSON_ATTR = "jaring_study_json"
FINISHED_ATTR = "jaring_finished"  # set when the driver has seen every trial done: workers then exit


class StorageError(RuntimeError):
    """The --storage URL is malformed, its server cannot be reached, or it lacks the named study."""


def safe_url(url: str) -> str:
    """`url` with its password hidden, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url.split("@")[-1] if "@" in url else url


# Drivers tried, in order, for a URL that names none: SQLAlchemy 2.1's default for postgresql:// is
# psycopg 3, while jaring[postgres] installs psycopg2-binary (wheels for every platform).
FALLBACK_DRIVERS = {"postgresql": ["psycopg2", "psycopg"], "mysql": ["mysqldb", "pymysql"]}


def check_url(url: str) -> str:
    """The SQLAlchemy URL to open for --storage `url` (its driver named when `url` names none).

    Refuses a URL that is not a postgresql:// or mysql:// one, or whose database driver is missing.
    """
    from sqlalchemy.engine import make_url

    scheme = url.split("://", 1)[0] if "://" in url else ""
    dialect = scheme.split("+", 1)[0]
    if dialect not in SCHEMES:
        raise StorageError(f"--storage {safe_url(url)!r}: not a PostgreSQL or MySQL URL; expected "
                           "postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or mysql://... "
                           "(without --storage a study keeps its trials in DIR/journal.log)")  # fmt: skip
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise StorageError(f"--storage {safe_url(url)!r}: not a valid database URL: {exc}") from None
    candidates = [parsed] if "+" in scheme else [parsed.set(drivername=f"{dialect}+{d}")
                                                 for d in FALLBACK_DRIVERS[dialect]]  # fmt: skip
    reasons = []
    for candidate in candidates:
        try:
            candidate.get_dialect().import_dbapi()
            return candidate.render_as_string(hide_password=False)
        except ImportError as exc:
            reasons.append(str(exc))
    raise StorageError(f"--storage {safe_url(url)!r}: no {dialect} driver is installed "
                       f"({'; '.join(reasons)}); pip install 'jaring[{SCHEMES[dialect]}]'")  # fmt: skip


# jaring runs trials with ask/tell and beats each trial's heartbeat itself (heartbeat below), which
# Optuna warns about, as it does about fail_stale_trials being experimental.
warnings.filterwarnings("ignore", message="Heartbeat of storage is supposed to be used with Study.optimize")
EXPERIMENTAL = ".*(fail_stale_trials|RetryHeartbeatStaleTrialCallback|heartbeat_interval).* experimental"
warnings.filterwarnings("ignore", message=EXPERIMENTAL)

_STORAGES: dict[str, RDBStorage] = {}


def open_storage(url: str) -> RDBStorage:
    """The RDBStorage at `url` (one per URL and process), with heartbeats and retries of dead trials.

    A server that is down, a wrong host, user or database fail here within CONNECT_TIMEOUT_SECONDS
    with a StorageError that names the URL (password hidden) and the server's reason.
    """
    if url in _STORAGES:
        return _STORAGES[url]
    engine_url = check_url(url)
    import sqlalchemy.exc

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    engine = {"connect_args": {"connect_timeout": CONNECT_TIMEOUT_SECONDS}, "pool_pre_ping": True}
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=EXPERIMENTAL)
            retry = RetryHeartbeatStaleTrialCallback(MAX_RETRY)
            beats = {"heartbeat_interval": HEARTBEAT_SECONDS, "grace_period": GRACE_SECONDS}
            storage = RDBStorage(engine_url, engine, heartbeat_stale_trial_callback=retry, **beats)
    except sqlalchemy.exc.SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise StorageError(f"--storage {safe_url(url)!r}: cannot use the database: {reason}") from None
    _STORAGES[url] = storage
    return storage


def load_study(url: str, name: str, sampler: Any = None, pruner: Any = None) -> optuna.Study:
    """The existing study `name` in the storage at `url`; StorageError naming the studies it has if absent."""
    storage = open_storage(url)
    names = [x.study_name for x in storage.get_all_studies()]
    if name not in names:
        held = sorted(names)[:10] + (["..."] if len(names) > 10 else [])
        raise StorageError(f"--study {name!r}: no such study in {safe_url(url)}; it holds {held}. "
                           "Start it with `jaring study run FILE --storage URL`")  # fmt: skip
    return optuna.load_study(study_name=name, storage=storage, sampler=sampler, pruner=pruner)


def create_study(url: str, name: str) -> optuna.Study:
    """The study `name` in the storage at `url`, created on first use."""
    return optuna.create_study(study_name=name, storage=open_storage(url), load_if_exists=True,
                               direction="maximize")  # fmt: skip


def fail_stale(study: optuna.Study) -> None:
    """Mark the trials of dead workers FAIL; the retry callback queues each again (a database only)."""
    storage = study._storage
    if hasattr(storage, "get_heartbeat_interval") and storage.get_heartbeat_interval() is not None:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=EXPERIMENTAL)
            optuna.storages.fail_stale_trials(study)


@contextlib.contextmanager
def heartbeat(study: optuna.Study, trial: optuna.Trial) -> Iterator[None]:
    """Record `trial`'s heartbeat now and every HEARTBEAT_SECONDS while the block runs.

    A no-op on the journal file (one machine: a dead run's trials are recovered by the next run).
    """
    storage = study._storage  # Optuna wraps the RDBStorage in a cache that passes heartbeats on
    interval = storage.get_heartbeat_interval() if hasattr(storage, "get_heartbeat_interval") else None
    if interval is None:
        yield
        return
    storage.record_heartbeat(trial._trial_id)  # at once: a trial without a heartbeat never goes stale
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(interval):
            storage.record_heartbeat(trial._trial_id)

    thread = threading.Thread(target=beat, name=f"heartbeat-{trial.number}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
