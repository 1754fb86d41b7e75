"""Which of Slack's events are being, or have been, handled: a retry is handled once."""

from datetime import datetime, timedelta

from sqlalchemy import delete, or_, update
from sqlalchemy.orm import Session

from storage import models
from storage.queries import insert_ignoring_duplicates, rowcount

KEPT_FOR = timedelta(days=1)  # Slack retries within minutes; a day is ample


class EventRepository:
    def __init__(self, session: Session):
        self.session = session

    def start(
        self, team_id: str, event_id: str, now: datetime, stale_after: timedelta, job_id: int | None = None
    ) -> bool:
        """Whether this handler should handle the event: it is new; or whoever started on it
        more than `stale_after` ago never finished (its process died); or the one that started
        on it was an earlier try of the same job, `job_id` (its worker died: the job's lease
        ran out, and it is this try's now)."""
        event = models.ProcessedEvent
        self.session.execute(delete(event).where(event.started_at < now - KEPT_FOR))
        begun = {"team_id": team_id, "event_id": event_id, "done": False, "started_at": now, "job_id": job_id}
        if insert_ignoring_duplicates(self.session, event, [begun]):
            return True
        abandoned = event.started_at < now - stale_after
        taken_over = rowcount(
            self.session,
            update(event)
            .where(
                event.team_id == team_id,
                event.event_id == event_id,
                event.done.is_(False),
                abandoned if job_id is None else or_(abandoned, event.job_id == job_id),
            )
            .values(started_at=now, job_id=job_id)
            .execution_options(synchronize_session=False),
        )
        return taken_over == 1

    def finish(self, team_id: str, event_id: str) -> None:
        self.session.execute(
            update(models.ProcessedEvent)
            .where(models.ProcessedEvent.team_id == team_id, models.ProcessedEvent.event_id == event_id)
            .values(done=True)
            .execution_options(synchronize_session=False)
        )

    def abandon(self, team_id: str, event_id: str) -> None:
        """Handling failed: a retry of the event will be handled afresh."""
        self.session.execute(
            delete(models.ProcessedEvent).where(
                models.ProcessedEvent.team_id == team_id, models.ProcessedEvent.event_id == event_id
            )
        )
