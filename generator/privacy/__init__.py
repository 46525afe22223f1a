"""The personal-data scan: detectors for each kind of personal data, the text
a reader sees (look-alike letters and markup undone), the guard that scans
every text of the content, and the gate that reads the partner edition as
built.
"""
