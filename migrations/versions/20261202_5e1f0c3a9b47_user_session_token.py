"""user session token

Every session and remember cookie names the person with their current session token (User.get_id), so
that logging out, a new password or a suspension ends all of them. Each existing person gets a token of
their own; the cookies issued before, which carry no token, open nothing: everyone logs in once more.

Revision ID: 5e1f0c3a9b47
Revises: 545f25a0b28d
Create Date: 2026-12-02 07:00:00.000000

"""
import secrets

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '5e1f0c3a9b47'
down_revision = '545f25a0b28d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=32), nullable=True))
    user = sa.table('user', sa.column('id', sa.Integer), sa.column('session_token', sa.String))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(user.c.id)).all():
        connection.execute(user.update().where(user.c.id == user_id).values(session_token=secrets.token_hex(16)))
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('session_token', existing_type=sa.String(length=32), nullable=False)


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('session_token')
