"""The command line: inbox-bot (main) and its operational commands (ops)."""
