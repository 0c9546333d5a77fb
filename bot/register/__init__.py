"""What a verdict changes: the plan and its application (effects), the attendee
lifecycle, and recording the message (record)."""
