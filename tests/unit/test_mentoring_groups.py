"""Mentoring by a category (issue 21): each group is one mentor with up to `size - 1` mentees,
as many mentees placed as can be, shared out evenly, the best pairs by what the mentor offers
and the mentee wants, with the cooldown and never-lists of every round."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.rounds.scoring import MatchSettings, Member
from bot.rounds.solving import group_mentoring

COOLDOWN = MatchSettings().cooldown_rounds


def member(user_id: str, offers=(), wants=(), never=()) -> Member:
    return Member(user_id, frozenset(offers), frozenset(wants), never=frozenset(never))


def test_each_group_is_one_mentor_first_with_mentees_of_the_other_side():
    people = [member(f"M{k}") for k in range(2)] + [member(f"E{k}") for k in range(4)]

    matching = group_mentoring(people, {"M0", "M1"}, size=3)

    assert [group.members[0] for group in matching.groups] == ["M0", "M1"]
    assert sorted(user_id for group in matching.groups for user_id in group.members[1:]) == ["E0", "E1", "E2", "E3"]
    assert matching.unmatched == ()


def test_mentees_are_shared_out_evenly_before_skills_are_weighed():
    # Every mentee fits M0 best, but M1 signed up to mentor too: two each, not three and one.
    mentors = [member("M0", offers={"sql", "go", "ml"}), member("M1", offers={"design"})]
    mentees = [member(f"E{k}", wants={"sql", "go", "ml"}) for k in range(4)]

    matching = group_mentoring(mentors + mentees, {"M0", "M1"}, size=4)

    assert [len(group.members) for group in matching.groups] == [3, 3]


def test_a_mentee_goes_to_the_mentor_who_offers_what_they_want():
    people = [
        member("M0", offers={"sql"}),
        member("M1", offers={"design"}),
        member("E0", wants={"design"}),
        member("E1", wants={"sql"}),
    ]

    matching = group_mentoring(people, {"M0", "M1"}, size=2)

    assert [group.members for group in matching.groups] == [("M0", "E1"), ("M1", "E0")]
    assert matching.groups[0].teaching[0].teacher == "M0"


def test_more_mentees_than_seats_leaves_the_rest_unmatched_and_nobody_over_the_size():
    people = [member("M0")] + [member(f"E{k}") for k in range(5)]

    matching = group_mentoring(people, {"M0"}, size=3)

    [group] = matching.groups
    assert len(group.members) == 3
    assert len(matching.unmatched) == 3


def test_no_other_side_means_nobody_is_grouped():
    people = [member("M0"), member("M1")]

    assert group_mentoring(people, {"M0", "M1"}, size=2).unmatched == ("M0", "M1")
    assert group_mentoring(people, set(), size=2).groups == ()


def test_a_pair_within_the_cooldown_is_taken_only_when_nothing_else_is_left():
    people = [member("M0"), member("M1"), member("E0")]
    met_last_round = {frozenset(("M0", "E0")): 0}

    again = group_mentoring(people, {"M0", "M1"}, size=2, history=met_last_round)
    only = group_mentoring([member("M0"), member("E0")], {"M0"}, size=2, history=met_last_round)

    assert [group.members for group in again.groups] == [("M1", "E0")]
    assert [group.members for group in only.groups] == [("M0", "E0")]


def test_a_never_pair_is_never_grouped_even_when_it_leaves_someone_out():
    people = [member("M0"), member("E0", never={"M0"}), member("E1")]

    matching = group_mentoring(people, {"M0"}, size=3)

    assert [group.members for group in matching.groups] == [("M0", "E1")]
    assert matching.unmatched == ("E0",)


def test_the_same_members_in_any_order_give_the_same_groups():
    people = [member(f"M{k}") for k in range(3)] + [member(f"E{k}") for k in range(6)]

    first = group_mentoring(people, {"M0", "M1", "M2"}, size=3, seed="T1:guides:2026-12-07")
    again = group_mentoring(people[::-1], ["M2", "M1", "M0"], size=3, seed="T1:guides:2026-12-07")

    assert first == again


def test_a_size_outside_two_to_six_is_refused():
    with pytest.raises(ValueError, match="2 to 6"):
        group_mentoring([member("M0"), member("E0")], {"M0"}, size=7)


@settings(max_examples=60, deadline=None)
@given(
    mentors=st.integers(1, 6),
    mentees=st.integers(1, 14),
    size=st.integers(2, 6),
    wants=st.lists(st.sampled_from(["sql", "go", "design"]), min_size=20, max_size=20),
)
def test_as_many_mentees_as_there_are_seats_are_placed_as_evenly_as_can_be(mentors, mentees, size, wants):
    people = [member(f"M{k}", offers={wants[k]}) for k in range(mentors)]
    people += [member(f"E{k:02d}", wants={wants[19 - k]}) for k in range(mentees)]

    matching = group_mentoring(people, {f"M{k}" for k in range(mentors)}, size=size)

    placed = [len(group.members) - 1 for group in matching.groups]
    assert sum(placed) == min(mentees, mentors * (size - 1))
    assert len(placed) == min(mentors, mentees)  # every mentor gets someone before anyone a second
    assert max(placed) - min(placed) <= 1
    assert all(group.members[0].startswith("M") and len(group.members) <= size for group in matching.groups)


@settings(max_examples=80, deadline=None)
@given(
    mentors=st.integers(2, 8),
    mentees=st.integers(1, 24),
    size=st.integers(2, 6),
    shortlist=st.integers(1, 2),
    skills=st.lists(st.sampled_from(["sql", "go", "design", "ml"]), min_size=32, max_size=32),
    nevers=st.lists(st.tuples(st.integers(0, 7), st.integers(0, 23)), max_size=12),
    met=st.lists(st.tuples(st.integers(0, 7), st.integers(0, 23), st.integers(0, COOLDOWN)), max_size=12),
)
def test_the_shortlisted_assignment_places_as_many_mentees_as_the_exact_one(
    mentors, mentees, size, shortlist, skills, nevers, met
):
    # A shortlist of one or two mentors per mentee, so that the shortlist and its repair are
    # what is tested, not a graph that happens to hold every pair.
    never = {(f"E{e:02d}", f"M{m}") for m, e in nevers if m < mentors and e < mentees}
    people = [member(f"M{k}", offers={skills[k]}) for k in range(mentors)]
    people += [
        member(f"E{k:02d}", wants={skills[31 - k]}, never={m for e, m in never if e == f"E{k:02d}"})
        for k in range(mentees)
    ]
    history = {frozenset((f"M{m}", f"E{e:02d}")): ago for m, e, ago in met if m < mentors and e < mentees}
    leading = {f"M{k}" for k in range(mentors)}

    exact = group_mentoring(people, leading, size, history, shortlist=None)
    shortlisted = group_mentoring(people, leading, size, history, shortlist=shortlist)

    def placed(matching):
        return sum(len(group.members) - 1 for group in matching.groups)

    assert placed(shortlisted) == placed(exact)
    assert all(len(group.members) <= size for group in shortlisted.groups)
    assert not any({*pair} <= {*group.members} for group in shortlisted.groups for pair in never)
