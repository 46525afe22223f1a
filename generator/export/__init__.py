"""Results written for other programs: JSON and CSV, the managers' workbook.

``csv_text_value`` is public: it reads a text cell of any CSV this tool writes
back to the text (see docs/export.md#formulas).
"""

from generator.export.cells import csv_text_value

__all__ = ["csv_text_value"]
