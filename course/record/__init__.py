"""The learner's record and the rules of studying: the progress store, where a learner stands,
the study layer both interfaces call, spaced review, the dashboard and completion records."""
