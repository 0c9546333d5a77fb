"""Running it: health monitoring (monitor), the preflight check (preflight), reconciling
with the mailbox, privacy purges, the dry run and evaluation."""
