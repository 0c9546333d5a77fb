"""``python -m bot.demo`` (what ``make demo`` runs): see :mod:`bot.demo.run`."""

from bot.demo.run import main

raise SystemExit(main())
