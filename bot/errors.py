"""Errors the domain raises, each carrying a message fit to show the member."""


class InvalidInput(ValueError):
    """The member typed something we cannot use; nothing was changed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class TemporarilyUnavailable(RuntimeError):
    """A dependency (the database) did not answer; the member may try again."""

    message = "Mentor couldn't reach its database just now. Nothing was changed; please try again in a minute."
