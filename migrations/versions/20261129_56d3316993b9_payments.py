"""payments

Revision ID: 56d3316993b9
Revises: 38a4d4597366
Create Date: 2026-11-29 01:49:05.905485

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '56d3316993b9'
down_revision = '38a4d4597366'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('provider_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=16), nullable=False),
    sa.Column('event_ref', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('outcome', sa.String(length=200), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provider_event')),
    sa.UniqueConstraint('provider', 'event_ref', name='uq_provider_event_ref')
    )
    op.create_table('payment_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=16), nullable=False),
    sa.Column('account_ref', sa.String(length=64), nullable=False),
    sa.Column('charges_enabled', sa.Boolean(), nullable=False),
    sa.Column('payouts_enabled', sa.Boolean(), nullable=False),
    sa.Column('details_submitted', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_payment_account_organization_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_account')),
    sa.UniqueConstraint('account_ref', name=op.f('uq_payment_account_account_ref')),
    sa.UniqueConstraint('organization_id', 'provider', name='uq_payment_account_org_provider')
    )
    op.create_table('payment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=8), nullable=False),
    sa.Column('provider', sa.String(length=16), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('amount_krw', sa.BigInteger(), nullable=False),
    sa.Column('fee_krw', sa.BigInteger(), nullable=False),
    sa.Column('refunded_krw', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('session_ref', sa.String(length=255), nullable=True),
    sa.Column('intent_ref', sa.String(length=255), nullable=True),
    sa.Column('checkout_url', sa.String(length=1000), nullable=True),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('failure', sa.String(length=300), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("method IN ('card', 'transfer')", name=op.f('ck_payment_method')),
    sa.CheckConstraint('amount_krw > 0', name=op.f('ck_payment_amount')),
    sa.CheckConstraint('refunded_krw >= 0 AND refunded_krw <= amount_krw', name=op.f('ck_payment_refunded')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_payment_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['order_id'], ['purchase_order.id'], name=op.f('fk_payment_order_id_purchase_order')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment')),
    sa.UniqueConstraint('intent_ref', name=op.f('uq_payment_intent_ref')),
    sa.UniqueConstraint('session_ref', name=op.f('uq_payment_session_ref'))
    )
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.create_index('ix_payment_order_status', ['order_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_paid_on'), ['paid_on'], unique=False)
        batch_op.create_index('uq_payment_order_succeeded', ['order_id'], unique=True, sqlite_where=sa.text("status = 'succeeded'"), postgresql_where=sa.text("status = 'succeeded'"))

    op.create_table('refund',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('amount_krw', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('provider_ref', sa.String(length=255), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('refunded_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('amount_krw > 0', name=op.f('ck_refund_amount')),
    sa.ForeignKeyConstraint(['order_id'], ['purchase_order.id'], name=op.f('fk_refund_order_id_purchase_order')),
    sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_refund_payment_id_payment')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_refund_requested_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refund')),
    sa.UniqueConstraint('provider_ref', name=op.f('uq_refund_provider_ref'))
    )
    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refund_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_refund_payment_id'), ['payment_id'], unique=False)

    op.create_table('ledger_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('refund_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('amount_krw', sa.BigInteger(), nullable=False),
    sa.Column('provider', sa.String(length=16), nullable=True),
    sa.Column('provider_ref', sa.String(length=255), nullable=True),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('charge', 'fee', 'payout', 'refund')", name=op.f('ck_ledger_entry_kind')),
    sa.CheckConstraint('amount_krw >= 0', name=op.f('ck_ledger_entry_amount')),
    sa.ForeignKeyConstraint(['order_id'], ['purchase_order.id'], name=op.f('fk_ledger_entry_order_id_purchase_order')),
    sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_ledger_entry_payment_id_payment')),
    sa.ForeignKeyConstraint(['refund_id'], ['refund.id'], name=op.f('fk_ledger_entry_refund_id_refund')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_entry'))
    )
    with op.batch_alter_table('ledger_entry', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_entry_order_kind', ['order_id', 'kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_entry_payment_id'), ['payment_id'], unique=False)



def downgrade():
    with op.batch_alter_table('ledger_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_entry_payment_id'))
        batch_op.drop_index('ix_ledger_entry_order_kind')

    op.drop_table('ledger_entry')
    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refund_payment_id'))
        batch_op.drop_index(batch_op.f('ix_refund_order_id'))

    op.drop_table('refund')
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_index('uq_payment_order_succeeded', sqlite_where=sa.text("status = 'succeeded'"), postgresql_where=sa.text("status = 'succeeded'"))
        batch_op.drop_index(batch_op.f('ix_payment_paid_on'))
        batch_op.drop_index('ix_payment_order_status')

    op.drop_table('payment')
    op.drop_table('payment_account')
    op.drop_table('provider_event')
