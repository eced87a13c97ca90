"""audit log by action

The city's audit log is filtered by action (certification.verify, organization.suspend, ...) newest first;
an index on (action, at) reads one action's entries in that order instead of looking through the whole log.

Revision ID: 3a7d2c9e5b10
Revises: 3a5c0e7d9b21
Create Date: 2026-11-30 10:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '3a7d2c9e5b10'
down_revision = '3a5c0e7d9b21'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entry_action_at', ['action', 'at'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entry_action_at')
