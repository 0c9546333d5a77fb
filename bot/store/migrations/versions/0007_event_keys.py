"""event keys without the date

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 06:55:00

Until commit ab21f93 an event's key was its name's slug plus its date
(``masterclass-kinderrechten-2025-11-25``); since then it is ``[event] id`` or the slug alone, so
that moving the date keeps the attendees. Rows written with the old keys are renamed here, or the
upgraded bot would count no seats taken and register everyone again. A row whose new key is
already taken (a database used under both schemes) is left as it is.
"""

import re

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

DATED = re.compile(r"-\d{4}-\d{2}-\d{2}$")


def upgrade() -> None:
    connection = op.get_bind()
    events = connection.execute(sa.text("SELECT DISTINCT event FROM attendee")).scalars()
    for old in [e for e in events if e and DATED.search(e)]:
        new = DATED.sub("", old)
        connection.execute(sa.text(
            "UPDATE attendee SET event = :new WHERE event = :old AND NOT EXISTS ("
            "SELECT 1 FROM attendee AS other WHERE other.event = :new "
            "AND other.email = attendee.email)"), {"old": old, "new": new})
        connection.execute(sa.text(
            "UPDATE eventstate SET key = :new WHERE key = :old AND NOT EXISTS ("
            "SELECT 1 FROM eventstate AS other WHERE other.key = :new)"),
            {"old": old, "new": new})


def downgrade() -> None:
    pass  # the old keys held the date, which the database does not keep elsewhere
