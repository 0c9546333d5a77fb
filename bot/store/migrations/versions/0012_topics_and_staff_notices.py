"""questions sorted by topic and theme; staff accounts with a language, an address and notices

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 17:00:00

``question.topic``, ``question.theme`` and ``question.topic_words``: what a question is about
(organisatie, or inhoud with a theme) and the words that said so (bot.judge.topics); questions
recorded before are not sorted (onbekend). ``inboundmessage.recorded_at``: when the bot recorded
a message, on its own clock (``received_at`` is the mail server's), so that staff notices count
what is new since the last (messages recorded before stay NULL). ``staffuser.language``,
``email``, ``notify``, ``notify_hour``, ``notified_at`` and ``notified_upto``: the desk's
language per account, and how and when the account is told about new work (bot.staff.notify);
existing accounts get Dutch and no notices.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    with op.batch_alter_table('question', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('topic', text(), nullable=True))
        batch_op.add_column(sa.Column('theme', text(), nullable=True))
        batch_op.add_column(sa.Column('topic_words', sa.JSON(), nullable=False,
                                      server_default='[]'))
    op.execute("UPDATE question SET topic = 'onbekend'")
    with op.batch_alter_table('inboundmessage', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(),
                                      nullable=True))
    with op.batch_alter_table('staffuser', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('language', text(), nullable=False, server_default='nl'))
        batch_op.add_column(sa.Column('email', text(), nullable=True))
        batch_op.add_column(sa.Column('notify', text(), nullable=False, server_default='none'))
        batch_op.add_column(sa.Column('notify_hour', sa.Integer(), nullable=False,
                                      server_default='8'))
        batch_op.add_column(sa.Column('notified_at', sqlmodel.sql.sqltypes.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('notified_upto', sqlmodel.sql.sqltypes.UTCDateTime(),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('staffuser', schema=None, recreate='never') as batch_op:
        for column in ('notified_upto', 'notified_at', 'notify_hour', 'notify', 'email',
                       'language'):
            batch_op.drop_column(column)
    with op.batch_alter_table('inboundmessage', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('recorded_at')
    with op.batch_alter_table('question', schema=None, recreate='never') as batch_op:
        for column in ('topic_words', 'theme', 'topic'):
            batch_op.drop_column(column)
