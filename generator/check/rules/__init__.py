"""The rules that need more than one file, one module per topic.

To add a rule: write it as a function in the module of its topic, with a
docstring that states the rule, and call it from that module's entry function
(``check_framework``, ``check_standards``, ``check_review``, ``check_meetings``...),
which runs the topic's rules in order. ``check.validate`` runs the topics.

- ``files``: where files are and what they are named (stray files, missing
  files, folder ids, dated file names)
- ``framework``: ``standards/framework.yml`` (scale, limits, bands)
- ``standards``: the catalogue of standards
- ``organisation``: ``borough.yml`` and ``team.yml``
- ``reviews``: a review's date, version and reviewers, and its other rules in
  ``ratings``, ``cases``, ``actions`` and ``amendments``
- ``meetings``: governance board meetings
- ``common``: rules shared by several kinds of file (unique entries, scale
  labels, evidence source and standard references)
"""
