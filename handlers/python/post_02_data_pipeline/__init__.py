"""Post 02 — analytics pipeline: three parallel extracts converge into one report."""
