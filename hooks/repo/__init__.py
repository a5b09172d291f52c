"""What a file is for: its role, its environment, what production runs, and git."""
