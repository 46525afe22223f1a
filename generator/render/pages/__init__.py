"""The kinds of page of the site, one module each (small kinds share one):
what each page's template receives, and the pages of that kind."""
