"""The recorder of commands' work: stopping waits for a command whose record is on its way
(an ack may go before its record commits), so it is not lost with the process."""

import threading
from datetime import UTC, datetime
from types import SimpleNamespace

from jobs.recording import Recorder
from storage.command_jobs import NewCommandJob

NOW = datetime(2026, 12, 1, 10, tzinfo=UTC)
JOB = NewCommandJob("T1", "UANA", "offer", "SQL", "https://hooks.slack.test/response/1")


class GatedStore:
    """A store whose writes wait for `gate`: a database slow to answer."""

    def __init__(self):
        self.gate, self.entered, self.recorded = threading.Event(), threading.Event(), []

    def command_job_log(self):
        return SimpleNamespace(append=self.append, close=lambda: None)

    def append(self, jobs, now):
        self.entered.set()
        assert self.gate.wait(timeout=10)
        self.recorded.extend(jobs)


def test_flushing_waits_while_a_command_is_being_recorded_and_returns_once_it_is():
    store = GatedStore()
    recorder = Recorder(store, lambda: NOW, lambda: None)  # type: ignore[arg-type]

    future = recorder.record(JOB)
    assert store.entered.wait(timeout=10)
    still_writing = recorder.flush(timeout=0.05)
    store.gate.set()

    assert still_writing is False
    assert recorder.flush(timeout=10) is True
    assert future.result(timeout=10) is None and store.recorded == [JOB]


def test_flushing_with_nothing_recorded_returns_at_once():
    assert Recorder(GatedStore(), lambda: NOW, lambda: None).flush(timeout=0) is True  # type: ignore[arg-type]
