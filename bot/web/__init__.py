"""The staff desk: a small web UI over the query and action functions (no logic of its own).

``create_app(runtime)`` in :mod:`bot.web.app` builds it; ``inbox-bot web`` serves it.
"""
