"""Stage 4, render: scored results in, the site's generated pages out. One
module per kind of page in ``pages/``, URLs and paths in ``urls.py``, the
Jinja setup in ``templates.py``; reviewers' Markdown shown safely by
``markup.py``.
"""
