"""Domain data and engines that several checks share (change notes, the security
catalogue, the static settings-layer resolver)."""
