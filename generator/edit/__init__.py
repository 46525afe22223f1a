"""``qa-site edit``: a local form in which reviewers write reviews and meeting
minutes, saved as the same files they write by hand.

The form is built from the rulebook; as the reviewer types, the real check
and the scoring package run on the unsaved text; a save writes the file in
the house style (``house_style``), changing only the lines it must, through a
server that listens on loopback only (``server``).
"""
