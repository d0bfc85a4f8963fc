"""Helpers both halves use: located diagnostics, file writing, JSON-schema pointer tools and the
guards that bound how deep and how large an input may be."""
