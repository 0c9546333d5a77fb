"""What every part of the running bot shares, built once at start-up from the configuration.

In: a :class:`~bot.config.types.Config`. Out: a :class:`Runtime`: the configuration, the
database engine (schema upgraded, one row per configured event), the reply templates, the
reader of incoming mail (:class:`~bot.pipeline.reader.Preparer`, with the classifier's context
from :func:`classifier_context`) and,
with ``[mailbox] auth = "oauth2"``, the source of access tokens. The worker, the CLI, the desk
and the demo each build one and pass it down as ``rt``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import jinja2
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.config.types import ClassifyConfig, Config, TrustConfig
from bot.judge.classify import ClassifyContext
from bot.outbound.reply import make_environment, own_phrases
from bot.pipeline.prepare import Reading
from bot.pipeline.reader import Preparer
from bot.register.lifecycle import ensure_event
from bot.store.db import writer
from bot.store.oauth import TokenSource
from bot.store.schema import open_database


@dataclass(frozen=True)
class Runtime:
    """Everything a poll needs, built once from the configuration."""

    config: Config
    engine: Engine
    templates: jinja2.Environment
    preparer: Preparer
    tokens: Callable[[], str] | None = None  # OAuth2 access tokens, with [mailbox] auth = oauth2

    @classmethod
    def create(cls, config: Config) -> Runtime:
        context = classifier_context(config.mailbox.address, config.mailbox.aliases,
                                     config.trust, config.classify, config.branding.name)
        engine = open_database(config.database_url)
        try:
            with Session(writer(engine)) as session:
                for event in config.events:
                    ensure_event(session, event)
                session.commit()
        except IntegrityError:
            pass  # another worker starting at the same moment created the row: that is fine
        tokens = None if config.oauth is None else TokenSource(
            engine, config.oauth, config.mailbox.username).access_token
        reading = Reading(context, config.worker.max_message_bytes,
                          config.worker.message_seconds)
        preparer = Preparer(reading, config.worker.parse_processes)
        return cls(config, engine, make_environment(), preparer, tokens)


def classifier_context(our_address: str, aliases: tuple[str, ...], trust: TrustConfig,
                       classify: ClassifyConfig, brand: str) -> ClassifyContext:
    """What the classifier needs: the settings, and our replies' own sentences and name (to know
    our mail when it comes back); for the worker and the offline ``classify``/``evaluate``
    alike."""
    return ClassifyContext.from_settings(our_address, aliases, trust, classify, own_phrases(),
                                         brand)
