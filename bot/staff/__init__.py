"""What staff do: actions on attendees, the review desk, exports and name sorting."""
