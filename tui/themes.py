"""Themes beyond Textual's own: a high-contrast one for low vision and bright rooms."""

from textual.theme import Theme

HIGH_CONTRAST = Theme(
    name="ivstem-high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffff00",
    warning="#ffaf00",
    error="#ff5f5f",
    success="#5fff5f",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1c1c1c",
    boost="#303030",
    dark=True,
    luminosity_spread=0.0,
    text_alpha=1.0,
    variables={
        "foreground-muted": "#e4e4e4",
        "text-muted": "#e4e4e4",
        "border": "#ffffff",
        "block-cursor-background": "#ffff00",
        "block-cursor-foreground": "#000000",
        "block-cursor-text-style": "bold",
        "footer-key-foreground": "#ffff00",
        "input-selection-background": "#ffff00 40%",
    },
)
"""White on black, yellow focus, no dimmed text."""
