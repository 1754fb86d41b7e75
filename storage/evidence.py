"""What a workspace learned from its confirmed asks (bot.asks.evidence), in the database:
added one ask at a time, read for one question's words in one query, and taken back out
ask by ask when their asker is forgotten."""

from collections import Counter
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, func, literal, select, union_all, update
from sqlalchemy.orm import Session

from bot.asks.evidence import Evidence
from storage import models
from storage.queries import batches, insert_ignoring_duplicates

# A skill's totals live in rows under these words: questions' words are letters and digits
# first (bot.asks.skill_detection.evidence_words), so they never begin with "#".
ASKS = "#asks"  # the skill's confirmed asks
WORDS = "#words"  # the words counted over them
_TOTALS = (ASKS, WORDS)
_VOCABULARY = "#vocabulary"  # in a read: the workspace's distinct words


def learn(session: Session, ask_id: int, team_id: str, asker_id: str, skill_key: str, words: Sequence[str]) -> bool:
    """Count `words` (distinct) as evidence for `skill_key`, once per ask: an ask whose
    evidence was counted already changes nothing. Returns whether it was counted."""
    record = {"ask_id": ask_id, "team_id": team_id, "asker_id": asker_id, "skill_key": skill_key}
    if not insert_ignoring_duplicates(session, models.AskEvidence, [{**record, "words": " ".join(words)}]):
        return False
    _add(session, team_id, skill_key, Counter({**dict.fromkeys(words, 1), ASKS: 1, WORDS: len(words)}))
    return True


def _add(session: Session, team_id: str, skill_key: str, changes: Counter[str]) -> None:
    """Add each change to its word's count for the skill (a missing row counts 0); rows that
    reach 0 go, so a forgotten word leaves no trace."""
    evidence = models.SkillEvidence
    rows = [{"team_id": team_id, "skill_key": skill_key, "word": word, "count": 0} for word in changes]
    for new in batches(rows):
        insert_ignoring_duplicates(session, evidence, new)  # two asks at once may both create a row
    by_change: dict[int, list[str]] = {}
    for word, change in changes.items():
        by_change.setdefault(change, []).append(word)
    for change, words in by_change.items():
        for batch in batches(words):
            session.execute(
                update(evidence)
                .where(evidence.team_id == team_id, evidence.skill_key == skill_key, evidence.word.in_(batch))
                .values(count=evidence.count + change)
                .execution_options(synchronize_session=False)
            )
    session.execute(
        delete(evidence).where(evidence.team_id == team_id, evidence.skill_key == skill_key, evidence.count <= 0)
    )


def read(session: Session, team_id: str, words: Iterable[str]) -> Evidence:
    """The workspace's evidence for these words, every skill's totals, and its vocabulary's
    size: one query, one probe of the primary key per word."""
    evidence = models.SkillEvidence
    wanted = sorted({*words, *_TOTALS})
    rows = select(evidence.skill_key, evidence.word, evidence.count).where(
        evidence.team_id == team_id, evidence.word.in_(wanted)
    )
    size = select(
        literal("").label("skill_key"), literal(_VOCABULARY).label("word"), func.count(func.distinct(evidence.word))
    ).where(evidence.team_id == team_id, evidence.word.not_in(_TOTALS))
    counts: dict[tuple[str, str], int] = {}
    asks: dict[str, int] = {}
    totals: dict[str, int] = {}
    vocabulary_size = 0
    for skill_key, word, count in session.execute(union_all(rows, size)):
        if word == _VOCABULARY:
            vocabulary_size = count
        elif word == ASKS:
            asks[skill_key] = count
        elif word == WORDS:
            totals[skill_key] = count
        else:
            counts[(skill_key, word)] = count
    return Evidence(counts=counts, asks=asks, words=totals, vocabulary_size=vocabulary_size)


def forget_asker(session: Session, team_id: str, asker_id: str) -> int:
    """Take every ask of `asker_id` back out of the workspace's evidence, exactly as it was
    counted. Returns how many asks were taken out."""
    record = models.AskEvidence
    mine = (record.team_id == team_id, record.asker_id == asker_id)
    changes: dict[str, Counter[str]] = {}
    counted = 0
    for skill_key, text in session.execute(select(record.skill_key, record.words).where(*mine)):
        words = text.split()
        changes.setdefault(skill_key, Counter()).update({**dict.fromkeys(words, -1), ASKS: -1, WORDS: -len(words)})
        counted += 1
    for skill_key, change in changes.items():
        _add(session, team_id, skill_key, change)
    session.execute(delete(record).where(*mine))
    return counted
