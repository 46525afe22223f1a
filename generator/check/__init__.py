"""Stage 2, check: every content file against its model, the rules that need
more than one file (``check/rules/``, one module per topic), and the personal-
data guard; the result is a validated ``Programme`` and every problem at once.
"""
