"""Stage 3, score: pure rules from a validated programme and an as-of date to
results. Percentages, bands and the critical limiter (``overall.py``),
standards and domains, case audits, trends, the schedule and what is
published. Nothing here knows of pages, MkDocs, Jinja or the command line.
"""
