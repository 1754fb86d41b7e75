"""Errors any feature may raise, each carrying a message fit to show the member. A feature's
own refusals live with it (bot.asks.services.AskUnavailable, bot.followups.model.FollowUpRefused);
handlers/listeners.py turns every one of them into a private reply."""


class InvalidInput(ValueError):
    """The member typed something we cannot use; nothing was changed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class TemporarilyUnavailable(RuntimeError):
    """A dependency (the database) did not answer; the member may try again."""

    message = "Mentor couldn't reach its database just now. Nothing was changed; please try again in a minute."


class SlackUnavailable(TemporarilyUnavailable):
    """Slack did not say who someone is (users.info failed): nothing is done for them blindly."""

    message = (
        "Mentor couldn't check with Slack who you are just now. Nothing was changed; please try again in a minute."
    )
