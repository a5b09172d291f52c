"""One package per hook: its __init__.py declares HOOK, check and main; private helpers
sit beside it."""
