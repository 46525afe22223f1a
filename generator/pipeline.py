"""The stages joined up, for the edges (the CLI now, the MkDocs plugin later).

    load  ->  validate  ->  score  ->  render

Only this module and the edges know about the clock and the environment;
every stage after it takes the as-of date as an argument.
"""

from __future__ import annotations
