"""Mail in: the IMAP mailbox, structural caps, parsing, HTML to text and quoted history."""
