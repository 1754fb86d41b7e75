"""The key a new program is joined by (`/mentor join <key>`)."""

from hypothesis import given
from hypothesis import strategies as st

from bot.rounds.model import KEY_LENGTH, program_key


def test_a_key_is_the_names_words_in_lower_case():
    assert program_key("Eng NYC — coffee!", set()) == "eng-nyc-coffee"
    assert program_key("#new-parents", set()) == "new-parents"
    assert program_key("Café São Paulo", set()) == "cafe-sao-paulo"


def test_a_key_taken_or_read_as_a_kind_gets_a_number():
    assert program_key("Coffee", set()) == "coffee-2"
    assert program_key("Reverse", {"reverse-2"}) == "reverse-3"
    assert program_key("A very long program name indeed", {"a-very-long-prog"}) == "a-very-long-pr-2"


def test_a_name_without_letters_or_digits_still_gets_a_key():
    assert program_key("🎉 ☕", set()) == "program"


@given(st.text(max_size=100), st.sets(st.text(max_size=KEY_LENGTH), max_size=5))
def test_a_key_is_short_plain_and_new(name, taken):
    key = program_key(name, taken)
    assert 0 < len(key) <= KEY_LENGTH and key not in taken and key not in {"coffee", "reverse"}
    assert key.replace("-", "").isalnum() and key.isascii() and key == key.casefold()


def test_a_program_named_with_mrkdwn_is_listed_as_typed_not_as_markup():
    from bot.rounds.model import COFFEE, Program, UnknownProgram

    refused = UnknownProgram("tea", (COFFEE, Program("ops", "<!channel> *Ops* & co")))

    assert "(&lt;!channel&gt; *Ops* &amp; co)" in refused.message and "<!channel>" not in refused.message
