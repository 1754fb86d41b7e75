"""Logging set-up that keeps Slack tokens out of every log line."""

import logging
import re
import sys

TOKEN_PATTERN = re.compile(r"\b(xox[a-z]|xapp)-[A-Za-z0-9-]+")


def redact(text: str) -> str:
    return TOKEN_PATTERN.sub(lambda match: match.group(1) + "-[redacted]", text)


class RedactTokens(logging.Filter):
    """Replaces anything shaped like a Slack token, in the message and its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def _not_bolts_token_warning(record: logging.LogRecord) -> bool:
    # Bolt reads SLACK_BOT_TOKEN from the environment by itself and warns that our
    # client's token wins; it is the same token, so the warning says nothing.
    return "`token` will be unused" not in record.getMessage()


def configure_logging(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactTokens())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # one line per migration is noise at every start
    logging.getLogger("slack_bolt.App").addFilter(_not_bolts_token_warning)
