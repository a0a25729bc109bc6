"""The course itself: its content model, reading and checking the YAML, and the
snapshot of a checked course."""
