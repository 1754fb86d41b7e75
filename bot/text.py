"""Making member-typed text safe to show in Slack."""

import unicodedata

ELLIPSIS = "…"


def escape_mrkdwn(text: str) -> str:
    """Escape the three characters Slack's mrkdwn treats as control characters.

    After this, `<!channel>` or `<@U123>` typed by a member shows as text and pings nobody.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` characters, ending with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1] + ELLIPSIS


def shown(text: str, limit: int) -> str:
    """Member text ready for a mrkdwn field of `limit` characters: escaped, then cut.

    Cutting after escaping keeps the result within the limit; an entity cut in half
    (`&am…`) shows as plain text, never as markup.
    """
    return truncate(escape_mrkdwn(text), limit)


ZERO_WIDTH_JOINER = "\u200d"  # holds emoji sequences such as 👩‍💻 together


def _without_controls(text: str) -> str:
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cc":
            kept.append(" ")
        elif category == "Cs" or (category == "Cf" and ch != ZERO_WIDTH_JOINER):
            # Lone surrogates cannot be stored as UTF-8; bidirectional overrides and
            # zero-width characters can disguise text.
            continue
        else:
            kept.append(ch)
    return "".join(kept)


def clean_line(text: str) -> str:
    """One line of member text: NFKC-normalized, without control or format characters
    (bidirectional marks and lone surrogates included), white space folded to single spaces."""
    return " ".join(_without_controls(unicodedata.normalize("NFKC", text)).split())


def clean_paragraphs(text: str) -> str:
    """Free text of several lines: each line cleaned as `clean_line`, blank runs kept to one."""
    lines = [clean_line(line) for line in text.replace("\r\n", "\n").split("\n")]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept).strip("\n")
