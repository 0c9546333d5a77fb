"""``python -m bot``: the same command line as ``inbox-bot``."""

from bot.cli.main import main

raise SystemExit(main())
