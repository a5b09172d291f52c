"""The secret engine that no-inline-secrets, forbid-env-files and check-env-documented share."""
