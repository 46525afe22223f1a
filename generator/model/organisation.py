"""Who is reviewed: ``borough.yml`` for a council and ``team.yml`` for each of
its teams.
"""

from __future__ import annotations

from pydantic import (
    Field,
)

from generator.model.base import FileModel
from generator.model.types import (
    Audience,
    IsoDate,
    KebabId,
    Name,
)


class Borough(FileModel):
    """`reviews/<borough>/borough.yml`: a council. The folder name is its id."""

    name: Name = Field(description="The council's name.")
    short: Name = Field(description="Short name for tables and charts, e.g. `H&F`.")


class Team(FileModel):
    """`reviews/<borough>/<team>/team.yml`: a team or service. The folder name is its id."""

    name: Name = Field(description="The team's name.")
    service: KebabId = Field(
        description="Service type, for like-for-like comparison across boroughs."
    )
    description: str | None = Field(default=None, description="About the team, in Markdown.")
    established: IsoDate | None = Field(default=None, description="When the team started.")
    closed: IsoDate | None = Field(default=None, description="When the team stopped existing.")
    replaced_by: list[KebabId] = Field(
        default_factory=list, description="Ids of the teams in the same borough that took over."
    )
    audience: Audience = Field(
        default="internal",
        description="Who may read the description: `internal` (the default) or `partners`.",
    )
