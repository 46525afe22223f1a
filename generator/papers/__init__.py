"""Papers: the board packs and team scorecards as accessible PDFs."""
