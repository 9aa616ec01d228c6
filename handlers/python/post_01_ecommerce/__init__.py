"""Post 01 — e-commerce checkout: a linear five-step workflow."""
