"""The content contract as pydantic models: the single declaration of the schema.

These models check the shape of each file on its own: keys, types, formats.
Rules that need more than one file (does this standard exist? is this team in
the borough?) live in ``generator.check``. The reference tables in the
reviewers' docs and the JSON Schemas are generated from these classes, so every
field carries a description.
"""
