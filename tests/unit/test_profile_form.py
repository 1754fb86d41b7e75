import pytest

from bot.ids import ProfileField
from bot.members.model import DEFAULT_CAPACITY, CareerStage, ProfileForm, ProfileFormErrors, profile_from_form


def test_an_empty_form_is_a_valid_profile_with_defaults():
    profile = profile_from_form("T1", "U1", ProfileForm())

    assert (profile.offers, profile.wants, profile.objectives, profile.capacity) == ((), (), "", DEFAULT_CAPACITY)
    assert profile.career_stage is None and profile.open_to_sponsoring is False


def test_a_full_form_is_cleaned_into_a_profile():
    form = ProfileForm(
        offers="SQL, js",
        wants="delegation",
        objectives="  Lead a release\u202e \r\n\r\n\r\nGrow  as a manager ",
        career_stage="early",
        team="  Payments\tteam ",
        open_to_sponsoring=True,
        capacity="0",
    )
    profile = profile_from_form("T1", "U1", form)

    assert [skill.label for skill in profile.offers] == ["SQL", "JavaScript"]
    assert profile.objectives == "Lead a release\n\nGrow as a manager"
    assert (profile.career_stage, profile.team, profile.capacity) == (CareerStage.EARLY, "Payments team", 0)


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (ProfileForm(offers="SQL, !!!"), ProfileField.OFFERS),
        (ProfileForm(wants="x" * 60), ProfileField.WANTS),
        (ProfileForm(objectives="x" * 1001), ProfileField.OBJECTIVES),
        (ProfileForm(career_stage="wizard"), ProfileField.CAREER_STAGE),
        (ProfileForm(team="x" * 81), ProfileField.TEAM),
        (ProfileForm(capacity="11"), ProfileField.CAPACITY),
        (ProfileForm(capacity="-1"), ProfileField.CAPACITY),
        (ProfileForm(capacity="2.5"), ProfileField.CAPACITY),
        (ProfileForm(capacity="lots"), ProfileField.CAPACITY),
    ],
)
def test_each_mistake_is_reported_on_its_own_field(form, field):
    with pytest.raises(ProfileFormErrors) as refused:
        profile_from_form("T1", "U1", form)

    assert list(refused.value.errors) == [field]
