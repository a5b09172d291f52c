"""Domain data and engines that several checks share."""
