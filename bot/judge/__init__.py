"""What a message is: loop guards (automatic), who sent it (trust), what the sender does
(intent, reading, acts, cues, clauses), details (extract), which event (events), and the
verdict (classify). Pure."""
