"""What a workspace learns from confirmed asks, on the rolled-back repositories (real SQLite,
and PostgreSQL when TEST_DATABASE_URL is set): which asks count, that the database keeps
what the model counts, and that forgetting takes exactly a member's asks back out."""

from sqlalchemy import func, select

from bot.asks import services as ask_services
from bot.asks.evidence import counted
from bot.asks.skill_detection import evidence_words
from bot.members import services as member_services
from bot.members.model import normalize_skill
from storage import models
from tests.support.asks import NOW, POLICY, TEAM, offer

RETRO_WORDS = ("retro", "complaint", "session", "remote", "team", "quiet")


def ask(work, asker: str, question: str, skill: str | None = None):
    chosen = normalize_skill(skill) if skill else None
    return ask_services.start_ask(work, TEAM, asker, question, NOW, POLICY, skill=chosen)


def evidence_of(work, words=RETRO_WORDS):
    return work.asks.evidence(TEAM, tuple(words))


def stored_words(work) -> set[str]:
    evidence = models.SkillEvidence
    return set(work.session.scalars(select(evidence.word).where(evidence.team_id == TEAM)))


def test_a_tagged_ask_counts_each_word_of_its_question_once_for_the_tagged_skill(repositories):
    ask(repositories, "UANA", "#agile our retro, our retro, keeps turning into a complaint session")

    evidence = evidence_of(repositories)

    assert evidence.counts == {("agile", "retro"): 1, ("agile", "complaint"): 1, ("agile", "session"): 1}
    assert evidence.asks == {"agile": 1}
    assert evidence.words == {"agile": len(evidence_words("our retro keeps turning into a complaint session"))}


def test_a_skill_only_guessed_from_a_name_in_the_question_teaches_nothing(repositories):
    offer(repositories, "UBEN", skill="Agile")

    ask(repositories, "UANA", "is agile a good fit for our retro culture?")

    assert evidence_of(repositories).asks == {}


def test_a_suggestion_clicked_and_the_modal_skill_are_confirmations(repositories):
    offer(repositories, "UBEN", skill="Agile")
    waiting = ask(repositories, "UANA", "how do I run a good retro with a quiet team?").ask

    ask_services.choose_skill(repositories, TEAM, waiting.id, "UANA", "Agile", NOW, POLICY)
    ask(repositories, "UCAT", "a remote retro for a quiet team", skill="Agile")

    evidence = evidence_of(repositories)
    assert evidence.asks == {"agile": 2}
    assert evidence.counts[("agile", "retro")] == evidence.counts[("agile", "quiet")] == 2


def test_the_database_keeps_what_the_model_counts(repositories):
    questions = [
        ("UANA", "#agile our retro keeps turning into a complaint session"),
        ("UBEN", "#agile a remote retro for a big team"),
        ("UCAT", "#negotiation a raise for my team this year"),
    ]
    for asker, question in questions:
        ask(repositories, asker, question)

    expected = counted((normalize_skill(q.split()[0][1:]).key, evidence_words(q)) for _, q in questions)
    every_word = {word for _, word in expected.counts}
    assert evidence_of(repositories, every_word) == expected


def test_after_three_confirmed_retro_asks_an_untagged_retro_question_suggests_agile_first(repositories):
    offer(repositories, "UMEN", skill="Python")
    for asker in ("UANA", "UBEN", "UCAT"):
        ask(repositories, asker, f"#agile ideas for a retro, asks {asker}")

    routed = ask(repositories, "UDAN", "how do I run a good retro?")

    assert [skill.label for skill in routed.suggestions][:1] == ["Agile"]


def test_forgetting_a_member_takes_exactly_their_asks_out_of_the_evidence(repositories):
    ask(repositories, "UANA", "#agile our retro keeps turning into a complaint session")
    ask(repositories, "UANA", "#negotiation my quiet raise conversation")
    ask(repositories, "UBEN", "#agile a remote retro for a big team")
    kept = counted([("agile", evidence_words("a remote retro for a big team"))])

    member_services.forget_member(repositories, TEAM, "UANA", "XTOMB", NOW)

    assert evidence_of(repositories, [*RETRO_WORDS, "raise", "conversation", "big"]) == kept
    assert stored_words(repositories) == {"#asks", "#words", "#vocabulary", "remote", "retro", "big", "team"}
    remaining = repositories.session.scalar(select(func.count()).select_from(models.AskEvidence))
    assert remaining == 1


def test_forgetting_the_workspace_forgets_everything_it_learned(repositories):
    ask(repositories, "UANA", "#agile our retro keeps turning into a complaint session")

    member_services.forget_workspace(repositories, TEAM)

    assert evidence_of(repositories).asks == {} and stored_words(repositories) == set()


def test_a_question_tried_again_under_another_skill_counts_once_for_the_skill_confirmed_last(repositories):
    offer(repositories, "UANA")  # SQL
    question = "Our retro keeps turning into a complaint session #sql"
    first = ask(repositories, "UASK", question).ask
    ask_services.pass_ask(repositories, TEAM, first.id, "UANA", NOW, POLICY)  # nobody else: it closes
    again = ask_services.ask_other_skill(repositories, TEAM, first.id, "UASK", NOW).ask
    ask_services.choose_skill(repositories, TEAM, again.id, "UASK", "Agile", NOW, POLICY)

    evidence = evidence_of(repositories)

    assert evidence.asks == {"agile": 1}
    assert set(evidence.counts) == {("agile", "retro"), ("agile", "complaint"), ("agile", "session")}
