"""Demo mailbox: local servers and sample messages for `make demo`."""
