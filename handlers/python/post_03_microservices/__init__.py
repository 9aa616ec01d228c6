"""Post 03 — user registration across services: parallel branches that rejoin."""
