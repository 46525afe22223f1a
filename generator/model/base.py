"""The two bases of every model of the content format: strict about keys,
and, for a whole file, knowing where it was read from.
"""

from __future__ import annotations

from pydantic import (
    BaseModel,
    ConfigDict,
    PrivateAttr,
)

from generator.load.repository import SourceDocument


class ContentModel(BaseModel):
    """Base for every model of the format: unknown keys are errors, never dropped."""

    model_config = ConfigDict(extra="forbid", strict=False, frozen=True)


class FileModel(ContentModel):
    """A whole file's model, which knows the file it was read from.

    Only whole files carry their source: a private attribute costs every
    instance a post-init step, and a large programme has a hundred thousand
    ratings, grades and actions that do not need one.
    """

    _source: SourceDocument | None = PrivateAttr(default=None)

    @property
    def source(self) -> SourceDocument:
        if self._source is None:
            raise RuntimeError(f"{type(self).__name__} was not loaded from a file")
        return self._source

    def attach(self, source: SourceDocument) -> None:
        self._source = source
