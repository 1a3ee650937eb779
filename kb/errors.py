"""KBError and its subclasses; every message is written for the person reading it."""


class KBError(Exception):
    """Base class: the message says what happened and what to do."""


class FrontMatterError(KBError):
    """A document's YAML front matter is missing or invalid."""


class UnsupportedFileError(KBError):
    """A file type the loaders do not read."""


class FileRejectedError(KBError):
    """A file or URL that cannot be ingested (empty, binary, too large, corrupt...)."""


class ModelMismatchError(KBError):
    """The index was built with another embedding model or chunker: re-index required."""


class EmptyIndexError(KBError):
    """Nothing has been ingested yet."""


class IndexLockedError(KBError):
    """Another process is writing to the same index."""


class StoreUnavailableError(KBError):
    """The Chroma server cannot be reached."""


class EvalSetError(KBError):
    """An eval set file is malformed."""


class SidecarError(FrontMatterError):
    """A NAME.meta.yaml file beside a document is not valid YAML or has an unknown field or value."""
