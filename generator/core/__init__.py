"""Layer 1, the base: what every stage shares and nothing of the domain.

Problems (``path:line: field: message``) and the tool's error base, dates,
numbers and text as the council writes them, the one "did you mean" matcher,
safe writing of files and folders, progress on a terminal, the garbage
collector held off while a stage builds what it keeps.
"""
