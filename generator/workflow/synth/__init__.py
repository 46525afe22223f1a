"""Synthetic programmes: a whole, valid reviews repository invented from a seed.

For demos, tests and benchmarks. ``repository.write_programme`` copies the
rulebook (and the site's configuration, pages and templates) from a
repository, then ``programme.synthesise`` invents boroughs, teams, reviews and
governance board meetings for it. Every invented file is valid by
construction: each review is rated with the product's own scoring, and the
team's next review falls exactly when the framework's interval for the
overall rating it earned says.

Nothing here reads the clock: every date derives from a fixed start and the
arguments, and every choice is drawn from ``random.Random`` instances seeded
from the seed and the id of what is being invented. The same arguments write
byte-identical files.
"""
