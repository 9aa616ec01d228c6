"""Domain models for the e-commerce checkout."""
