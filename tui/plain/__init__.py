"""`ivstem --plain`: the course as a line-by-line conversation.

For screen readers, simple terminals and piped input. Every step is printed, every question is
answered by typing a line (see `tui.plain.questions` for the syntax of each type), and the same
engine, progress store and study rules as the full-screen app decide what is right, what is
saved and what is open. Nothing here imports Textual, so it starts fast on a slow machine, and
nothing here imports the command line: it is started with plain values (`tui.plain.run`).

`q` at any prompt, or the end of the input, ends the session at once; everything shown was
saved before it was shown, as in the app (an answer is saved before its feedback).

The modules, from the outside in: `run` starts a session; `conversation` is the session from
the course map; `lessons`, `quiz` and `review` are its parts; `answering` asks a question and
says how the answer went; `core` keeps the record and asks each line; `questions` reads what is
typed for each type of question; `links`, `output` and `reader` are how text goes out and comes
in.
"""
