"""The document model: which files are config, how each format is read, and how
fixes write back."""
