"""The unit of work every use case is handed: the repositories one transaction can touch.

storage.db.Repositories is one, structurally (Store.transaction() yields it; the integration
tests hand one on a transaction they roll back). The caller begins and ends the transaction:
use cases change what they must and never commit. Any use case may raise
bot.errors.TemporarilyUnavailable when the database does not answer; their docstrings name
only the refusals of their own."""

from typing import Protocol

from bot.asks.repository import AskRepository
from bot.followups.repository import FollowUpRepository
from bot.members.repository import ForgetRepository, ProfileRepository
from bot.program.repository import ProgramRepository
from bot.rounds.repository import RoundRepository


class UnitOfWork(Protocol):
    @property
    def asks(self) -> AskRepository: ...
    @property
    def profiles(self) -> ProfileRepository: ...
    @property
    def followups(self) -> FollowUpRepository: ...
    @property
    def rounds(self) -> RoundRepository: ...
    @property
    def program(self) -> ProgramRepository: ...
    @property
    def forgetting(self) -> ForgetRepository: ...
