"""peer supporters: offers to help others, and each organisation's decision, checks and status

Revision ID: b24e1f6a2c02
Revises: c4a8e2f61d93
Create Date: 2026-12-04 12:45:00.000000

"""
from alembic import op
import sqlalchemy as sa

import portal.database


# revision identifiers, used by Alembic.
revision = 'b24e1f6a2c02'
down_revision = 'c4a8e2f61d93'
branch_labels = None
depends_on = None


def _timestamps():
    return [sa.Column('created_at', portal.database.UTCDateTime(timezone=True),
                      server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
            sa.Column('updated_at', portal.database.UTCDateTime(timezone=True),
                      server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False)]


def upgrade():
    op.create_table(
        'peer_offers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('first_name', sa.String(length=40), nullable=False),
        sa.Column('categories', sa.JSON(), nullable=False),
        sa.Column('languages', sa.JSON(), nullable=False),
        sa.Column('availability', sa.JSON(), nullable=False),
        sa.Column('delivery', sa.Enum('in_person', 'online', 'both', name='delivery', native_enum=False,
                                      length=20), nullable=False),
        sa.Column('shared_contact', sa.String(length=200), nullable=True),
        sa.Column('borough', sa.String(length=40), nullable=False),
        sa.Column('consented_at', portal.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column('withdrawn_at', portal.database.UTCDateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_peer_offers_report_id_reports'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_peer_offers_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_peer_offers')),
    )
    op.create_index(op.f('ix_peer_offers_report_id'), 'peer_offers', ['report_id'], unique=False)
    op.create_index(op.f('ix_peer_offers_user_id'), 'peer_offers', ['user_id'], unique=False)
    op.create_table(
        'peer_supporters',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('offer_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('decision', sa.Enum('new', 'accepted', 'declined', name='decision', native_enum=False,
                                      length=10), nullable=False),
        sa.Column('decided_at', portal.database.UTCDateTime(timezone=True), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decline_reason', sa.String(length=20), nullable=True),
        sa.Column('decline_note', sa.String(length=200), nullable=True),
        sa.Column('status', sa.Enum('active', 'paused', 'left', name='supporterstatus', native_enum=False,
                                    length=10), nullable=True),
        sa.Column('training_completed_on', sa.Date(), nullable=True),
        sa.Column('references_received_on', sa.Date(), nullable=True),
        sa.Column('safeguarding_checked_on', sa.Date(), nullable=True),
        sa.Column('ended_at', portal.database.UTCDateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_peer_supporters_decided_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['offer_id'], ['peer_offers.id'], name=op.f('fk_peer_supporters_offer_id_peer_offers'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                                name=op.f('fk_peer_supporters_organisation_id_organisations'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_peer_supporters')),
        sa.UniqueConstraint('offer_id', 'organisation_id', name=op.f('uq_peer_supporters_offer_id')),
    )
    op.create_index('ix_peer_supporters_lists', 'peer_supporters', ['organisation_id', 'decision'], unique=False)


def downgrade():
    op.drop_index('ix_peer_supporters_lists', table_name='peer_supporters')
    op.drop_table('peer_supporters')
    op.drop_index(op.f('ix_peer_offers_user_id'), table_name='peer_offers')
    op.drop_index(op.f('ix_peer_offers_report_id'), table_name='peer_offers')
    op.drop_table('peer_offers')
