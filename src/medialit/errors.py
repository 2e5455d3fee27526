"""Errors a person will read: each says what went wrong and what to do next."""


class MedialitError(Exception):
    """An expected problem (missing file, bad input) with a message meant for a person."""


class SchemeError(MedialitError):
    """The tag-scheme file is malformed or inconsistent."""


class ArticleError(MedialitError):
    """The article file is missing or cannot be segmented."""


class AnswersError(MedialitError):
    """A saved-answers file or an answer given to it is not valid."""


class AnswersSaveError(AnswersError, OSError):
    """Answers could not be written (disk full, read-only folder); the old file is intact."""


class UnknownLabelError(AnswersError, ValueError):
    """A label that is not in the scheme for that layer."""
