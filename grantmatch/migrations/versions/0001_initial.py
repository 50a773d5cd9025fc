"""Initial schema: calls and their changes, profiles, scrape runs, feedback, pipeline, drafts,
consultations, visits.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "calls",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("source", sa.String(50), nullable=False, index=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("funder", sa.Text),
        sa.Column("language", sa.String(8)),
        sa.Column("deadline", sa.Date, index=True),
        sa.Column("open_date", sa.Date),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("first_seen", TS, nullable=False),
        sa.Column("last_seen", TS, nullable=False),
        sa.Column("also_at", sa.JSON),
    )
    op.create_table(
        "call_changes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "call_id", sa.String(200), sa.ForeignKey("calls.id", ondelete="CASCADE"), nullable=False, index=True
        ),
        sa.Column("changed_at", TS, nullable=False),
        sa.Column("field", sa.String(50), nullable=False),
        sa.Column("old", sa.Text),
        sa.Column("new", sa.Text),
        sa.Column("run_id", sa.Integer),
    )
    op.create_table(
        "profiles",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_table(
        "scrape_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(50), nullable=False, index=True),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("pages", sa.Integer, nullable=False, server_default="0"),
        sa.Column("found", sa.Integer, nullable=False, server_default="0"),
        sa.Column("new", sa.Integer, nullable=False, server_default="0"),
        sa.Column("changed", sa.Integer, nullable=False, server_default="0"),
        sa.Column("errors", sa.JSON),
    )
    op.create_table(
        "feedback",
        sa.Column("profile_id", sa.String(200), primary_key=True),
        sa.Column("call_id", sa.String(200), primary_key=True),
        sa.Column("relevant", sa.Boolean, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "pipeline",
        sa.Column("profile_id", sa.String(200), primary_key=True),
        sa.Column("call_id", sa.String(200), primary_key=True),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("notes", sa.Text, nullable=False, server_default=""),
        sa.Column("amount_requested", sa.Float),
        sa.Column("amount_awarded", sa.Float),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("profile_id", sa.String(200), nullable=False, index=True),
        sa.Column("call_id", sa.String(200), nullable=False),
        sa.Column("template", sa.String(100), nullable=False),
        sa.Column("title", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_table(
        "draft_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "draft_id", sa.Integer, sa.ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False, index=True
        ),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("content", sa.JSON, nullable=False),
        sa.Column("saved_at", TS, nullable=False),
    )
    op.create_table(
        "consultations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("profile_id", sa.String(200), nullable=False, index=True),
        sa.Column("held_at", TS, nullable=False),
        sa.Column("notes", sa.Text, nullable=False, server_default=""),
    )
    op.create_table(
        "visits",
        sa.Column("profile_id", sa.String(200), primary_key=True),
        sa.Column("previous_at", TS),
        sa.Column("last_at", TS, nullable=False),
    )


def downgrade() -> None:
    for name in (
        "visits",
        "consultations",
        "draft_versions",
        "drafts",
        "pipeline",
        "feedback",
        "scrape_runs",
        "profiles",
        "call_changes",
        "calls",
    ):
        op.drop_table(name)
