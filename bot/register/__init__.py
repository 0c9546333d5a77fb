"""What a verdict changes: the decision for one message (decide), the plan and its
application (effects), seats and the waiting list (lifecycle), and the message row, its
question and its replies into the outbox (record)."""
