"""legacy-config-hooks: pre-commit hooks that clean up and guard service configuration."""
__version__ = "0.1.0"
