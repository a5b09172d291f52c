"""The framework every hook stands on: the declaration (api), the runner, the registry,
findings, suppression, baseline, settings and output."""
