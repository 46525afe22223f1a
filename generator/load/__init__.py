"""Stage 1, load: find the content files of a repository and parse each one,
keeping the line of every key. Symbolic links are never followed, and nothing
outside the repository is read.
"""
