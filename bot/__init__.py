"""inbox-bot: runs the info@ mailbox of the Kinderrechtencollectief."""

__version__ = "0.1.0"
