"""Post 04 — team scaling: two teams, two namespaces, one workflow name (process_refund)."""
