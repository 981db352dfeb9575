"""One catalogue of errors, with stable codes and messages a user can act on."""

from __future__ import annotations


class RasidError(Exception):
    """Base class: ``code`` is stable (E###), ``str(err)`` says what to do."""

    code = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(f"[{self.code}] {message}")
        self.message = message


class InputError(RasidError):
    """An input (file, URL, line) could not be read; the batch goes on."""

    code = "E100"


class EncodingError(InputError):
    code = "E101"


class EmptyInputError(InputError):
    code = "E102"


class BinaryInputError(InputError):
    code = "E103"


class UnsupportedFormatError(InputError):
    code = "E104"


class FetchError(InputError):
    code = "E105"


class PdfTextError(InputError):
    code = "E106"


class MalformedRecordError(InputError):
    code = "E107"


class StoreError(RasidError):
    """The knowledge base could not be opened or written."""

    code = "E200"


class NotFoundError(RasidError):
    code = "E201"


class QueryError(RasidError):
    """A search query or its filters are malformed (e.g. a date that is not ISO)."""

    code = "E202"


class PipelineError(RasidError):
    """Components are mis-ordered or a required attribute is missing."""

    code = "E300"


class ModelError(RasidError):
    """A trained model file is missing, corrupt or of the wrong version."""

    code = "E400"


class DataFileError(RasidError):
    """A curated data file (schema, lexicon, gazetteer) has a broken row."""

    code = "E500"


class WebConfigError(RasidError):
    """The web server was asked to start in a way that is unsafe or cannot work."""

    code = "E600"
