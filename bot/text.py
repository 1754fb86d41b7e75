"""Member-typed text: read from Slack's message formatting once, and made safe to show."""

import re
import unicodedata

ELLIPSIS = "…"


def escape_mrkdwn(text: str) -> str:
    """Escape the three characters Slack's mrkdwn treats as control characters.

    After this, `<!channel>` or `<@U123>` typed by a member shows as text and pings nobody.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# What Slack sends for a literal &, < or >; nothing else is escaped.
_ENTITY = re.compile(r"&(amp|lt|gt);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}
# A mention, link or date: Slack escapes every < and > a member types, so these are its markup.
_TOKEN = re.compile(r"<([@#!][^<>]*|[A-Za-z][A-Za-z0-9+.-]*:[^<>]*)>")
_SPECIAL_MENTIONS = ("here", "channel", "everyone")
_SCHEMES = ("mailto:", "https://", "http://", "tel:")


def _unescaped(text: str) -> str:
    return _ENTITY.sub(lambda entity: _ENTITIES[entity.group(1)], text)


def _token_text(token: re.Match[str]) -> str:
    target, _, label = token.group(1).partition("|")
    target, label = _unescaped(target), _unescaped(label)
    if target.startswith("@"):  # a member: <@U123|ana> or <@U123>
        return "@" + (label or target[1:])
    if target.startswith("#"):  # a channel: <#C123|general> or <#C123>
        return "#" + (label or target[1:])
    if target.startswith("!"):  # <!here>, <!subteam^S123|@team>, <!date^1392734382^{date}|fallback>
        command, _, argument = target[1:].partition("^")
        if command in _SPECIAL_MENTIONS:
            return "@" + command
        if label:
            return label
        return "@" + argument if command == "subteam" else command
    if label in ("", target, target.removeprefix(_scheme(target))):  # <https://x.com>, <mailto:a@b.c|a@b.c>
        return label or target
    return f"{label} ({target})"


def _scheme(url: str) -> str:
    return next((scheme for scheme in _SCHEMES if url.startswith(scheme)), "")


def plain_text_of(markup: str) -> str:
    """The plain text a member typed, from Slack's message formatting: what slash commands and
    message events carry (modal inputs never do: their values are as typed).

    Mentions and links are read first, then the three entities Slack escapes (`&amp;`, `&lt;`,
    `&gt;`), so each is decoded once: `R&amp;D` is `R&D`, and `&amp;lt;` is `&lt;`. Members show
    as `@name` (`@U123` when Slack sends no name), channels as `#name`, `<!here>` as `@here`,
    user groups by their handle, dates by their fallback text, and links as their address, or
    `label (address)` when the label says something else: no markup is kept that could ping
    anyone later, and what is shown is escaped once more (`escape_mrkdwn`).
    """
    parts = []
    position = 0
    for token in _TOKEN.finditer(markup):
        parts.append(_unescaped(markup[position : token.start()]))
        parts.append(_token_text(token))
        position = token.end()
    parts.append(_unescaped(markup[position:]))
    return "".join(parts)


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
