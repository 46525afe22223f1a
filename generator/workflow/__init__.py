"""A reviewer's and maintainer's work around the pipeline: the published record
across Git revisions, what a change does to the results, new files, and
synthetic programmes.
"""
