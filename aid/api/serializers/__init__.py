"""Explicit output shapes, one module per resource; decimals are strings."""
