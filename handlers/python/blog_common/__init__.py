"""Helpers shared by every post's handlers: money, generated ids, timestamps."""
