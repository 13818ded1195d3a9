"""peer-support groups: members, waiting lists and cancelled or moved meetings

Revision ID: c4a8e2f61d93
Revises: b7e1c4d92a30
Create Date: 2026-12-04 10:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

import portal.database


# revision identifiers, used by Alembic.
revision = 'c4a8e2f61d93'
down_revision = 'b7e1c4d92a30'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'group_places',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('referral_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('waiting_since', portal.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column('joined_at', portal.database.UTCDateTime(timezone=True), nullable=True),
        sa.Column('left_at', portal.database.UTCDateTime(timezone=True), nullable=True),
        sa.Column('created_at', portal.database.UTCDateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'),
                  nullable=False),
        sa.Column('updated_at', portal.database.UTCDateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'),
                  nullable=False),
        sa.ForeignKeyConstraint(['referral_id'], ['referrals.id'], name=op.f('fk_group_places_referral_id_referrals'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['service_id'], ['support_services.id'],
                                name=op.f('fk_group_places_service_id_support_services'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_group_places')),
        sa.UniqueConstraint('referral_id', name=op.f('uq_group_places_referral_id')),
    )
    op.create_index('ix_group_places_list', 'group_places', ['service_id', 'status', 'waiting_since'], unique=False)
    op.create_table(
        'group_session_changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('session_on', sa.Date(), nullable=False),
        sa.Column('change', sa.String(length=10), nullable=False),
        sa.Column('moved_to', sa.Date(), nullable=True),
        sa.Column('starts_at', sa.String(length=5), nullable=True),
        sa.Column('made_at', portal.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column('made_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['made_by_id'], ['users.id'], name=op.f('fk_group_session_changes_made_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['service_id'], ['support_services.id'],
                                name=op.f('fk_group_session_changes_service_id_support_services'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_group_session_changes')),
    )
    op.create_index(op.f('ix_group_session_changes_service_id'), 'group_session_changes', ['service_id'],
                    unique=False)


def downgrade():
    op.drop_index(op.f('ix_group_session_changes_service_id'), table_name='group_session_changes')
    op.drop_table('group_session_changes')
    op.drop_index('ix_group_places_list', table_name='group_places')
    op.drop_table('group_places')
