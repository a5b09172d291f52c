"""Tests of check-migration-locks."""
