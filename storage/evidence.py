"""What a workspace learned from its confirmed asks (bot.asks.evidence), in the database:
added one ask at a time, read for one question's words in one query, and taken back out
ask by ask when their asker is forgotten.

Besides one row per (word, skill) with a count, `skill_evidence` keeps totals under words no
question can produce (questions' words begin with a letter or digit:
bot.asks.skill_detection.evidence_words): per skill, its confirmed asks (ASKS) and the words
counted over them (WORDS); and, under no skill (ANY_SKILL), each word's confirmed asks
whatever their skill, and the workspace's distinct words (VOCABULARY). So a read needs only
the rows of the question's words and of these totals, however much the workspace learned."""

from collections import Counter
from collections.abc import Collection, Iterable, Sequence

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.orm import Session

from bot.asks.evidence import Evidence
from storage import models
from storage.queries import batches, insert_ignoring_duplicates, rowcount

ASKS = "#asks"
WORDS = "#words"
VOCABULARY = "#vocabulary"
ANY_SKILL = ""


def learn(session: Session, ask_id: int, team_id: str, asker_id: str, skill_key: str, words: Sequence[str]) -> bool:
    """Count `words` (distinct) as evidence for `skill_key`, once per ask: an ask whose
    evidence was counted already changes nothing. Returns whether it was counted."""
    record = {"ask_id": ask_id, "team_id": team_id, "asker_id": asker_id, "skill_key": skill_key}
    if not insert_ignoring_duplicates(session, models.AskEvidence, [{**record, "words": " ".join(words)}]):
        return False
    _count(session, team_id, skill_key, Counter(words), Counter({ASKS: 1, WORDS: len(words)}))
    return True


def forget_asker(session: Session, team_id: str, asker_id: str) -> int:
    """Take every ask of `asker_id` back out of the workspace's evidence, exactly as it was
    counted. Returns how many asks were taken out."""
    record = models.AskEvidence
    return _take_out(session, team_id, (record.team_id == team_id, record.asker_id == asker_id))


def take_back(session: Session, team_id: str, ask_ids: Collection[int]) -> int:
    """Take these asks back out of the workspace's evidence (those counted): a question tried
    again under another skill counts once, for the skill its asker confirmed last. Returns
    how many asks were taken out."""
    record = models.AskEvidence
    return _take_out(session, team_id, (record.team_id == team_id, record.ask_id.in_(ask_ids)))


def _take_out(session: Session, team_id: str, where: tuple[ColumnElement[bool], ...]) -> int:
    """Subtract the asks of ask_evidence that match `where` from the counts, and drop their rows."""
    record = models.AskEvidence
    changes: dict[str, Counter[str]] = {}
    totals: dict[str, Counter[str]] = {}
    for skill_key, text in session.execute(select(record.skill_key, record.words).where(*where)):
        words = text.split()
        changes.setdefault(skill_key, Counter()).subtract(words)
        totals.setdefault(skill_key, Counter()).subtract({ASKS: 1, WORDS: len(words)})
    for skill_key, change in changes.items():
        _count(session, team_id, skill_key, change, totals[skill_key])
    return rowcount(session, delete(record).where(*where))


def _count(session: Session, team_id: str, skill_key: str, words: Counter[str], totals: Counter[str]) -> None:
    """Add changes of one skill's word counts and of its totals; keep the counts under no
    skill in step: each word's, and the workspace's distinct words."""
    _add(session, team_id, skill_key, Counter({**words, **totals}))
    distinct = _add(session, team_id, ANY_SKILL, words)
    if distinct:
        _add(session, team_id, ANY_SKILL, Counter({VOCABULARY: distinct}))


def _add(session: Session, team_id: str, skill_key: str, changes: Counter[str]) -> int:
    """Add each change to its word's count for `skill_key` (a missing row counts 0); rows that
    reach 0 go, so a forgotten word leaves no trace. Returns rows made minus rows gone."""
    evidence = models.SkillEvidence
    rows = [{"team_id": team_id, "skill_key": skill_key, "word": word, "count": 0} for word in changes]
    made = sum(insert_ignoring_duplicates(session, evidence, new) for new in batches(rows))  # concurrent asks: one wins
    by_change: dict[int, list[str]] = {}
    for word, change in changes.items():
        by_change.setdefault(change, []).append(word)
    for change, changed in by_change.items():
        for batch in batches(changed):
            session.execute(
                update(evidence)
                .where(evidence.team_id == team_id, evidence.skill_key == skill_key, evidence.word.in_(batch))
                .values(count=evidence.count + change)
                .execution_options(synchronize_session=False)
            )
    # Only a change that is not an increase can bring a row to 0; reading just those words
    # keeps learning one ask a probe per word, however much the workspace has learned.
    shrunk = [word for word, change in changes.items() if change <= 0]
    gone = sum(
        rowcount(
            session,
            delete(evidence).where(
                evidence.team_id == team_id,
                evidence.skill_key == skill_key,
                evidence.word.in_(batch),
                evidence.count <= 0,
            ),
        )
        for batch in batches(shrunk)
    )
    return made - gone


def read(session: Session, team_id: str, words: Iterable[str]) -> Evidence:
    """The workspace's evidence for these words, every skill's totals, and its vocabulary's
    size: one query, one probe of the primary key per word."""
    evidence = models.SkillEvidence
    wanted = sorted({*words, ASKS, WORDS, VOCABULARY})
    counts: dict[tuple[str, str], int] = {}
    asks: dict[str, int] = {}
    totals: dict[str, int] = {}
    vocabulary_size = 0
    rows = select(evidence.skill_key, evidence.word, evidence.count).where(
        evidence.team_id == team_id, evidence.word.in_(wanted)
    )
    for skill_key, word, count in session.execute(rows):
        if skill_key == ANY_SKILL:  # each word's total (Evidence.asks_with sums it) and the vocabulary's
            if word == VOCABULARY:
                vocabulary_size = count
        elif word == ASKS:
            asks[skill_key] = count
        elif word == WORDS:
            totals[skill_key] = count
        else:
            counts[(skill_key, word)] = count
    return Evidence(counts=counts, asks=asks, words=totals, vocabulary_size=vocabulary_size)
