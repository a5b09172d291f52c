"""One package per hook: its __init__.py holds HOOK, check and main; private helpers sit beside it."""
