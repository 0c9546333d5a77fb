"""The flow: one poll of the mailbox and one message through the stages (flow), reading
in a time budget (prepare, reader, budget), and the scheduled worker (worker, scheduled)."""
