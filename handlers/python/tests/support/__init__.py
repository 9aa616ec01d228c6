"""Test support: locating vectors and templates, running handlers, matching JSON."""
