"""User-facing errors.

Every error a person may see derives from :class:`NcoError` and carries one plain
sentence that names the file and the reason. Messages never contain evidence content;
they may name the file the user chose, because they are shown to that user only and
never written to disk.
"""


class NcoError(Exception):
    """An expected failure with a message meant for the person at the keyboard."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
