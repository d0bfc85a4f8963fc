"""Render stage: IR -> Python source files through Jinja templates, formatted with black."""
