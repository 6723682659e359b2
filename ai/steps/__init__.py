"""One module per AI step, each holding its prompt beside the code that runs it."""
