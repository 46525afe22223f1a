"""Sharing with partner boroughs: the partner edition (``edition.py``: what it
takes out), data packages of results written and read, and partners'
packages joined to the comparison pages; and a built site of either edition
published to a web server's folder (``deploy.py``).
"""
