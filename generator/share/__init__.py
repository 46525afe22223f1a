"""Sharing with partner boroughs: the partner edition (``edition.py``: what it
takes out), data packages of results written and read, and partners'
packages joined to the comparison pages.
"""
