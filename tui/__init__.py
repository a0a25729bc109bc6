"""The `ivstem` command and the Textual interface."""
