"""Question types, grading and quiz sessions: pure Python, no files, no YAML, no interface."""
