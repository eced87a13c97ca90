"""job runs

`flask jobs run` (cron or a systemd timer, on every server) claims each job's period in its row here, so that a
job runs once per period however many servers call it.

Revision ID: 545f25a0b28d
Revises: 2e246baab4d2
Create Date: 2026-12-02 07:07:35.474832

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '545f25a0b28d'
down_revision = '2e246baab4d2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('job_run',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('succeeded_at', sa.DateTime(), nullable=True),
    sa.Column('running_until', sa.DateTime(), nullable=True),
    sa.Column('runner', sa.String(length=100), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_job_run'))
    )


def downgrade():
    op.drop_table('job_run')
