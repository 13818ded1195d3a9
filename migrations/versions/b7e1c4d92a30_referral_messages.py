"""messages between the person referred and the support organisation

Revision ID: b7e1c4d92a30
Revises: b7e3a91c5d20
Create Date: 2026-12-04 10:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

import portal.database


# revision identifiers, used by Alembic.
revision = 'b7e1c4d92a30'
down_revision = 'b7e3a91c5d20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('referral_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('sender_id', sa.Integer(), nullable=True),
    sa.Column('from_partner', sa.Boolean(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('sent_at', portal.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('read_at', portal.database.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['referral_id'], ['referrals.id'], name=op.f('fk_referral_messages_referral_id_referrals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sender_id'], ['users.id'], name=op.f('fk_referral_messages_sender_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_messages'))
    )
    with op.batch_alter_table('referral_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_messages_referral_id'), ['referral_id'], unique=False)


def downgrade():
    with op.batch_alter_table('referral_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_messages_referral_id'))

    op.drop_table('referral_messages')
