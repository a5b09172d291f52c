"""Tests of hooks.checks, one folder per hook."""
