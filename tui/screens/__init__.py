"""The app's screens, one per file, each with its stylesheet beside it where it needs one."""
