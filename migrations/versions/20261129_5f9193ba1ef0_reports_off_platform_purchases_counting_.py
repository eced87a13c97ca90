"""reports: off-platform purchases, counting point

Revision ID: 5f9193ba1ef0
Revises: c69053cdd7e6
Create Date: 2026-11-29 01:51:46.097007

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5f9193ba1ef0'
down_revision = 'c69053cdd7e6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('off_platform_purchase',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('contract_date', sa.Date(), nullable=False),
    sa.Column('amount_krw', sa.BigInteger(), nullable=False),
    sa.Column('category', sa.String(length=8), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('evidence_name', sa.String(length=200), nullable=False),
    sa.Column('evidence_stored_name', sa.String(length=64), nullable=False),
    sa.Column('evidence_kind', sa.String(length=8), nullable=False),
    sa.Column('evidence_size_bytes', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('status_note', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("category IN ('goods', 'services', 'works')", name=op.f('ck_off_platform_purchase_category')),
    sa.CheckConstraint("channel IN ('own_contract', 'pps', 'other_platform')", name=op.f('ck_off_platform_purchase_channel')),
    sa.CheckConstraint('amount_krw > 0', name=op.f('ck_off_platform_purchase_amount')),
    sa.ForeignKeyConstraint(['agency_id'], ['organization.id'], name=op.f('fk_off_platform_purchase_agency_id_organization')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_off_platform_purchase_decided_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['organization.id'], name=op.f('fk_off_platform_purchase_enterprise_id_organization')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_off_platform_purchase_recorded_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_off_platform_purchase')),
    sa.UniqueConstraint('evidence_stored_name', name=op.f('uq_off_platform_purchase_evidence_stored_name'))
    )
    with op.batch_alter_table('off_platform_purchase', schema=None) as batch_op:
        batch_op.create_index('ix_off_platform_purchase_agency_status', ['agency_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_off_platform_purchase_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index('ix_off_platform_purchase_status_date', ['status', 'contract_date'], unique=False)

    op.create_table('report_setting',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('counting_point', sa.String(length=8), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("counting_point IN ('contract', 'payment')", name=op.f('ck_report_setting_counting_point')),
    sa.CheckConstraint('id = 1', name=op.f('ck_report_setting_single_row')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_report_setting_updated_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_setting'))
    )


def downgrade():
    op.drop_table('report_setting')
    with op.batch_alter_table('off_platform_purchase', schema=None) as batch_op:
        batch_op.drop_index('ix_off_platform_purchase_status_date')
        batch_op.drop_index(batch_op.f('ix_off_platform_purchase_enterprise_id'))
        batch_op.drop_index('ix_off_platform_purchase_agency_status')

    op.drop_table('off_platform_purchase')
