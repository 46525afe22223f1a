"""The MkDocs plugin: a thin adapter from MkDocs' hooks to the pipeline.

At each build it loads, validates, scores and renders the content, and adds
the generated pages to the build as in-memory files (nothing is written into
``docs/``). Content errors stop the build with the validator's
``path:line: field: message`` lines; ``mkdocs serve`` rebuilds when a review,
a standard or a template changes.

    plugins:
      - qa-site:
          as_of: 2012-07-01      # default: SOURCE_DATE_EPOCH if set, else today; --as-of wins
          root: .                # the reviews repository; default: mkdocs.yml's folder
          templates: site_templates
          audience: internal     # or partners: the edition for partner boroughs
          packages:              # partners' data packages joined to the comparison pages
            - ../partners/hammersmith-fulham   # a folder with datapackage.json
          deny_list: /secure/names.txt   # default: $QA_SITE_DENY_LIST; never in docs/
          papers: true           # the PDF papers (false: the pages alone)
          internal_pages:        # pages of docs/ the partner edition leaves out
            - commands.md        # default: the engineers' pages the starter has

Every page says which edition it is, in a banner and in
``<meta name="qa-site-edition">``; the partner edition's title says so too.
"""

from generator.plugin.hooks import QaSitePlugin

__all__ = ["QaSitePlugin"]
