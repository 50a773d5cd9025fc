"""The database: grant calls, NGO profiles, scrape runs, feedback, pipeline, drafts, consultations.

SQLAlchemy 2.x Core. SQLite file ``var/grantmatch.db`` by default; any other database (PostgreSQL)
through one setting, ``GRANTMATCH_DATABASE_URL``. The schema is created and upgraded by Alembic
migrations (``grantmatch/migrations``) so a user's data survives upgrades. Every write runs in one
transaction: a failed import leaves the database as it was.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.engine import Engine

from grantmatch.models import GrantCall, NgoProfile, ValidationError
from grantmatch.paths import var_dir

logger = logging.getLogger(__name__)

DATABASE_URL_ENV = "GRANTMATCH_DATABASE_URL"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

PIPELINE_STAGES = ("interested", "preparing", "submitted", "awarded", "rejected", "dropped")

metadata = MetaData()

calls = Table(
    "calls",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("source", String(50), nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("funder", Text),
    Column("language", String(8)),
    Column("deadline", Date, index=True),
    Column("open_date", Date),
    Column("data", JSON, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    Column("also_at", JSON),
)

call_changes = Table(
    "call_changes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("call_id", String(200), ForeignKey("calls.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Column("field", String(50), nullable=False),
    Column("old", Text),
    Column("new", Text),
    Column("run_id", Integer),
)

profiles = Table(
    "profiles",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("name", Text, nullable=False),
    Column("data", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

scrape_runs = Table(
    "scrape_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(50), nullable=False, index=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("status", String(20), nullable=False),
    Column("pages", Integer, nullable=False, default=0),
    Column("found", Integer, nullable=False, default=0),
    Column("new", Integer, nullable=False, default=0),
    Column("changed", Integer, nullable=False, default=0),
    Column("errors", JSON),
)

feedback = Table(
    "feedback",
    metadata,
    Column("profile_id", String(200), primary_key=True),
    Column("call_id", String(200), primary_key=True),
    Column("relevant", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

pipeline = Table(
    "pipeline",
    metadata,
    Column("profile_id", String(200), primary_key=True),
    Column("call_id", String(200), primary_key=True),
    Column("stage", String(20), nullable=False),
    Column("notes", Text, nullable=False, default=""),
    Column("amount_requested", Float),
    Column("amount_awarded", Float),
    Column("reason", Text, nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

drafts = Table(
    "drafts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("profile_id", String(200), nullable=False, index=True),
    Column("call_id", String(200), nullable=False),
    Column("template", String(100), nullable=False),
    Column("title", Text, nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

draft_versions = Table(
    "draft_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("draft_id", Integer, ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("content", JSON, nullable=False),
    Column("saved_at", DateTime(timezone=True), nullable=False),
)

consultations = Table(
    "consultations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("profile_id", String(200), nullable=False, index=True),
    Column("held_at", DateTime(timezone=True), nullable=False),
    Column("notes", Text, nullable=False, default=""),
)

visits = Table(
    "visits",
    metadata,
    Column("profile_id", String(200), primary_key=True),
    Column("previous_at", DateTime(timezone=True)),
    Column("last_at", DateTime(timezone=True), nullable=False),
)

# Fields whose changes are recorded in call_changes (a moved deadline, a new amount, ...).
TRACKED_FIELDS = (
    "title",
    "deadline",
    "open_date",
    "min_amount_eur",
    "max_amount_eur",
    "total_budget_eur",
    "cofinancing_pct",
    "eligible_applicants",
    "geography",
    "url",
)


class StoreError(RuntimeError):
    """The database cannot be opened, upgraded or written; the message says which and why."""


@dataclass
class UpsertStats:
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)
    """Stored records that differ from the ones given and were left as stored (``keep_stored``)."""


def now_utc() -> datetime:
    return datetime.now(UTC)


def content_hash(call: GrantCall) -> str:
    """Hash of everything a call says, for change detection."""
    return _data_hash(call.to_dict())


def _data_hash(data: dict[str, Any]) -> str:
    payload = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class _Stored(NamedTuple):
    """The stored state of a call updated earlier in the same batch."""

    content_hash: str
    data: dict[str, Any]


def default_url() -> str:
    """``GRANTMATCH_DATABASE_URL`` if set, else a SQLite file under ``var/``."""
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if url:
        return url
    return f"sqlite:///{var_dir() / 'grantmatch.db'}"


def _aware(value: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; everything we store is UTC.
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


class Store:
    """One database. ``Store()`` opens the default; ``Store("postgresql+psycopg://...")`` another."""

    def __init__(self, url: str | None = None, *, engine: Engine | None = None) -> None:
        self.url = url or default_url()
        if engine is None:
            kwargs: dict[str, Any] = {"future": True}
            if self.url.startswith("sqlite"):
                kwargs["connect_args"] = {"timeout": 30}
            try:
                engine = create_engine(self.url, **kwargs)
            except Exception as exc:  # bad URL, missing driver
                raise StoreError(f"cannot open database {self.safe_url}: {exc}") from exc
            if self.url.startswith("sqlite"):
                event.listen(engine, "connect", _sqlite_pragmas)
        self.engine = engine

    @property
    def safe_url(self) -> str:
        """The URL with any password hidden."""
        try:
            return self.engine.url.render_as_string(hide_password=True)  # type: ignore[attr-defined]
        except AttributeError:
            return self.url.split("@")[-1] if "@" in self.url else self.url

    @property
    def path(self) -> Path | None:
        """The database file for SQLite, else None."""
        if self.url.startswith("sqlite:///"):
            return Path(self.url.removeprefix("sqlite:///"))
        return None

    # ------------------------------------------------------------------ schema

    def upgrade(self, revision: str = "head") -> None:
        """Create or upgrade the schema with Alembic."""
        from alembic import command

        cfg = _alembic_config()
        try:
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
        except Exception as exc:
            raise StoreError(f"cannot create or upgrade the database at {self.safe_url}: {exc}") from exc

    def downgrade(self, revision: str) -> None:
        from alembic import command

        cfg = _alembic_config()
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, revision)

    def revision(self) -> str | None:
        """The schema revision the database is at (None when it has no schema yet)."""
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def is_ready(self) -> bool:
        return "calls" in inspect(self.engine).get_table_names()

    # ------------------------------------------------------------------ calls

    def upsert_calls(
        self,
        items: Iterable[GrantCall],
        *,
        seen_at: datetime | None = None,
        run_id: int | None = None,
        also_at: Mapping[str, list[str]] | None = None,
    ) -> UpsertStats:
        """Insert new calls and update changed ones, in one transaction; records field changes.

        New calls go in as one multi-row insert and unchanged ones get "last seen" in one statement
        (a first run of the weekly job stores hundreds of new calls); a call repeated in ``items``
        is stored as its last occurrence says.
        """
        seen_at = seen_at or now_utc()
        stats = UpsertStats()
        batch = list(items)
        with self.engine.begin() as conn:
            ids = [c.id for c in batch]
            existing: dict[str, Any] = {}
            for chunk in _chunks(ids, 500):
                for row in conn.execute(select(calls).where(calls.c.id.in_(chunk))):
                    existing[row.id] = row
            inserts: dict[str, dict[str, Any]] = {}
            unchanged: dict[str, None] = {}
            changes: list[dict[str, Any]] = []
            for call in batch:
                data = call.to_dict()
                digest = _data_hash(data)
                values = {
                    "source": call.source,
                    "title": call.title,
                    "funder": call.funder,
                    "language": call.language,
                    "deadline": call.deadline,
                    "open_date": call.open_date,
                    "data": data,
                    "content_hash": digest,
                    "last_seen": seen_at,
                }
                if also_at and call.id in also_at:
                    values["also_at"] = list(also_at[call.id])
                if call.id in inserts:  # repeated in this batch: the last occurrence is stored
                    inserts[call.id] = {**inserts[call.id], **values}
                    continue
                row = existing.get(call.id)
                if row is None:
                    inserts[call.id] = {"id": call.id, "first_seen": seen_at, **values}
                    stats.new.append(call.id)
                    continue
                if row.content_hash == digest:
                    unchanged[call.id] = None
                    stats.unchanged += 1
                    continue
                old = row.data or {}
                for name in TRACKED_FIELDS:
                    if old and old.get(name) != data.get(name):
                        changes.append(
                            {
                                "call_id": call.id,
                                "changed_at": seen_at,
                                "field": name,
                                "old": _text(old.get(name)),
                                "new": _text(data.get(name)),
                                "run_id": run_id,
                            }
                        )
                conn.execute(update(calls).where(calls.c.id == call.id).values(**values))
                existing[call.id] = _Stored(digest, data)  # a repeat compares with what it replaced
                unchanged.pop(call.id, None)
                if call.id not in stats.changed:
                    stats.changed.append(call.id)
            # one multi-row insert per set of columns (with and without ``also_at``, which stays NULL)
            by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
            for row_values in inserts.values():
                by_columns.setdefault(tuple(row_values), []).append(row_values)
            for rows in by_columns.values():
                conn.execute(insert(calls), rows)
            if changes:
                conn.execute(insert(call_changes), changes)
            for chunk in _chunks(list(unchanged), 500):
                conn.execute(update(calls).where(calls.c.id.in_(chunk)).values(last_seen=seen_at))
        return stats

    def list_calls(self) -> list[GrantCall]:
        """Every stored call. A row the model now refuses (stored before a check was added, e.g. a
        ``javascript:`` url) is left out with a warning rather than making every page fail."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(calls.c.data).order_by(calls.c.id)).all()
        out, refused = [], []
        for r in rows:
            try:
                out.append(GrantCall.from_dict(r.data))
            except ValidationError as exc:
                refused.append(str(exc))
        if refused:
            logger.warning("stored calls left out", extra={"count": len(refused), "first": refused[0]})
        return out

    def get_call(self, call_id: str) -> GrantCall | None:
        """The stored call, or None (also for a row the model now refuses, as in :meth:`list_calls`)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(calls.c.data).where(calls.c.id == call_id)).first()
        if row is None:
            return None
        try:
            return GrantCall.from_dict(row.data)
        except ValidationError as exc:
            logger.warning("stored call left out", extra={"error": str(exc)})
            return None

    def call_meta(self) -> dict[str, dict[str, Any]]:
        """first_seen, last_seen and other-source URLs per call id."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(calls.c.id, calls.c.first_seen, calls.c.last_seen, calls.c.also_at)
            ).all()
        return {
            r.id: {
                "first_seen": _aware(r.first_seen),
                "last_seen": _aware(r.last_seen),
                "also_at": list(r.also_at or []),
            }
            for r in rows
        }

    def call_history(self, call_id: str) -> list[dict[str, Any]]:
        """Recorded changes of one call, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(call_changes).where(call_changes.c.call_id == call_id).order_by(call_changes.c.id)
            ).all()
        return [
            {"changed_at": _aware(r.changed_at), "field": r.field, "old": r.old, "new": r.new} for r in rows
        ]

    def calls_fingerprint(self) -> str:
        """Changes whenever any call is added, removed or changed (for the fitted-index cache)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(calls.c.id, calls.c.content_hash).order_by(calls.c.id)).all()
        digest = hashlib.sha256()
        for r in rows:
            digest.update(f"{r.id}\0{r.content_hash}\n".encode())
        return digest.hexdigest()

    def count_calls(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(calls)).scalar_one()

    # ------------------------------------------------------------------ profiles

    def upsert_profiles(self, items: Iterable[NgoProfile], *, keep_stored: bool = False) -> UpsertStats:
        """Add the profiles not stored yet and update the stored ones that differ, or, with
        ``keep_stored``, leave those as they are (the bundled profiles must not undo an NGO's edits)."""
        stats = UpsertStats()
        stamp = now_utc()
        with self.engine.begin() as conn:
            for profile in items:
                data = profile.to_dict()
                row = conn.execute(select(profiles.c.data).where(profiles.c.id == profile.id)).first()
                if row is None:
                    conn.execute(
                        insert(profiles).values(id=profile.id, name=profile.name, data=data, updated_at=stamp)
                    )
                    stats.new.append(profile.id)
                elif row.data != data and keep_stored:
                    stats.kept.append(profile.id)
                elif row.data != data:
                    conn.execute(
                        update(profiles)
                        .where(profiles.c.id == profile.id)
                        .values(name=profile.name, data=data, updated_at=stamp)
                    )
                    stats.changed.append(profile.id)
                else:
                    stats.unchanged += 1
        return stats

    def list_profiles(self) -> list[NgoProfile]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(profiles.c.data).order_by(profiles.c.name)).all()
        return [NgoProfile.from_dict(r.data) for r in rows]

    def get_profile(self, profile_id: str) -> NgoProfile | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(profiles.c.data).where(profiles.c.id == profile_id)).first()
        return NgoProfile.from_dict(row.data) if row else None

    def delete_profile(self, profile_id: str) -> bool:
        """Delete an NGO with everything kept about it (marks, pipeline, drafts with their versions,
        consultations, visits) in one transaction: nothing is left to reappear under a reused id.
        False when there was no such profile."""
        with self.engine.begin() as conn:
            own = select(drafts.c.id).where(drafts.c.profile_id == profile_id)
            conn.execute(delete(draft_versions).where(draft_versions.c.draft_id.in_(own)))
            for table in (drafts, feedback, pipeline, consultations, visits):
                conn.execute(delete(table).where(table.c.profile_id == profile_id))
            return conn.execute(delete(profiles).where(profiles.c.id == profile_id)).rowcount > 0

    # ------------------------------------------------------------------ scrape runs

    def start_run(self, source: str) -> int:
        return self.start_runs([source])[source]

    def start_runs(self, sources: Iterable[str], *, started_at: datetime | None = None) -> dict[str, int]:
        """A "running" run-log row per source, all in one transaction; returns source -> run id.

        The weekly job opens the rows of all its sources before scraping, so the run log is not
        written while worker threads parse (each write there waited for the GIL).
        ``finish_run(started_at=...)`` then records when each source really began.
        """
        started_at = started_at or now_utc()
        ids: dict[str, int] = {}
        with self.engine.begin() as conn:
            for source in dict.fromkeys(sources):
                result = conn.execute(
                    insert(scrape_runs).values(source=source, started_at=started_at, status="running")
                )
                ids[source] = int(result.inserted_primary_key[0])
        return ids

    def discard_runs(self, run_ids: Iterable[int]) -> None:
        """Remove run-log rows that are still "running" (opened for sources that never began)."""
        ids = list(run_ids)
        if not ids:
            return
        with self.engine.begin() as conn:
            conn.execute(delete(scrape_runs).where(scrape_runs.c.id.in_(ids), scrape_runs.c.status == "running"))

    def finish_run(
        self,
        run_id: int,
        *,
        status: str,
        pages: int = 0,
        found: int = 0,
        new: int = 0,
        changed: int = 0,
        errors: list[str] | None = None,
        started_at: datetime | None = None,
    ) -> None:
        """Close a run-log row; ``started_at`` (when given) replaces the time the row was opened."""
        self.finish_runs(
            [{"run_id": run_id, "status": status, "pages": pages, "found": found, "new": new,
              "changed": changed, "errors": errors, "started_at": started_at}]
        )  # fmt: skip

    def finish_runs(self, runs: Iterable[Mapping[str, Any]]) -> None:
        """Close several run-log rows in one transaction; each item has ``finish_run``'s arguments."""
        finished_at = now_utc()
        with self.engine.begin() as conn:
            for run in runs:
                values: dict[str, Any] = {
                    "finished_at": finished_at,
                    "status": run["status"],
                    "pages": run.get("pages", 0),
                    "found": run.get("found", 0),
                    "new": run.get("new", 0),
                    "changed": run.get("changed", 0),
                    "errors": list(run.get("errors") or []),
                }
                if run.get("started_at") is not None:
                    values["started_at"] = run["started_at"]
                conn.execute(update(scrape_runs).where(scrape_runs.c.id == run["run_id"]).values(**values))

    def runs(self, source: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """Scrape runs, newest first."""
        query = select(scrape_runs).order_by(scrape_runs.c.id.desc()).limit(limit)
        if source:
            query = query.where(scrape_runs.c.source == source)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        out = []
        for r in rows:
            d = dict(r._mapping)
            d["started_at"] = _aware(d["started_at"])
            d["finished_at"] = _aware(d["finished_at"])
            d["errors"] = list(d["errors"] or [])
            out.append(d)
        return out

    # ------------------------------------------------------------------ feedback

    def set_feedback(self, profile_id: str, call_id: str, relevant: bool | None) -> None:
        """Mark a call relevant (True) or not (False) for a profile; None clears the mark."""
        with self.engine.begin() as conn:
            conn.execute(
                delete(feedback).where(feedback.c.profile_id == profile_id, feedback.c.call_id == call_id)
            )
            if relevant is not None:
                conn.execute(
                    insert(feedback).values(
                        profile_id=profile_id, call_id=call_id, relevant=bool(relevant), created_at=now_utc()
                    )
                )

    def feedback(self, profile_id: str) -> dict[str, bool]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(feedback.c.call_id, feedback.c.relevant).where(feedback.c.profile_id == profile_id)
            ).all()
        return {r.call_id: bool(r.relevant) for r in rows}

    # ------------------------------------------------------------------ pipeline

    def track(self, profile_id: str, call_id: str, stage: str = "interested") -> None:
        """Start tracking a call for a profile (no change when it is tracked already)."""
        _check_stage(stage)
        stamp = now_utc()
        with self.engine.begin() as conn:
            row = conn.execute(
                select(pipeline.c.stage).where(pipeline.c.profile_id == profile_id, pipeline.c.call_id == call_id)
            ).first()
            if row is None:
                conn.execute(
                    insert(pipeline).values(
                        profile_id=profile_id,
                        call_id=call_id,
                        stage=stage,
                        notes="",
                        reason="",
                        created_at=stamp,
                        updated_at=stamp,
                    )
                )

    def update_tracked(self, profile_id: str, call_id: str, **values: Any) -> None:
        """Change stage, notes, amount_requested, amount_awarded or reason of a tracked call."""
        allowed = {"stage", "notes", "amount_requested", "amount_awarded", "reason"}
        unknown = set(values) - allowed
        if unknown:
            raise ValueError(f"pipeline: unknown fields {sorted(unknown)}")
        if "stage" in values:
            _check_stage(values["stage"])
        with self.engine.begin() as conn:
            result = conn.execute(
                update(pipeline)
                .where(pipeline.c.profile_id == profile_id, pipeline.c.call_id == call_id)
                .values(updated_at=now_utc(), **values)
            )
            if result.rowcount == 0:
                raise KeyError(f"pipeline: call {call_id!r} is not tracked for profile {profile_id!r}")

    def untrack(self, profile_id: str, call_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                delete(pipeline).where(pipeline.c.profile_id == profile_id, pipeline.c.call_id == call_id)
            )

    def tracked(self, profile_id: str | None = None) -> list[dict[str, Any]]:
        query = select(pipeline).order_by(pipeline.c.created_at)
        if profile_id:
            query = query.where(pipeline.c.profile_id == profile_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        out = []
        for r in rows:
            d = dict(r._mapping)
            d["created_at"] = _aware(d["created_at"])
            d["updated_at"] = _aware(d["updated_at"])
            out.append(d)
        return out

    # ------------------------------------------------------------------ drafts

    def save_draft(
        self,
        profile_id: str,
        call_id: str,
        template: str,
        content: dict[str, Any],
        draft_id: int | None = None,
        title: str = "",
    ) -> tuple[int, int]:
        """Save a new version of a draft (a new draft when ``draft_id`` is None); returns (id, version)."""
        stamp = now_utc()
        with self.engine.begin() as conn:
            if draft_id is None:
                result = conn.execute(
                    insert(drafts).values(
                        profile_id=profile_id,
                        call_id=call_id,
                        template=template,
                        title=title,
                        created_at=stamp,
                        updated_at=stamp,
                    )
                )
                draft_id = int(result.inserted_primary_key[0])
                version = 1
            else:
                exists = conn.execute(select(drafts.c.id).where(drafts.c.id == draft_id)).first()
                if exists is None:
                    raise KeyError(f"draft {draft_id} does not exist")
                last = conn.execute(
                    select(func.max(draft_versions.c.version)).where(draft_versions.c.draft_id == draft_id)
                ).scalar_one()
                version = int(last or 0) + 1
                values: dict[str, Any] = {"updated_at": stamp, "template": template}
                if title:
                    values["title"] = title
                conn.execute(update(drafts).where(drafts.c.id == draft_id).values(**values))
            conn.execute(
                insert(draft_versions).values(draft_id=draft_id, version=version, content=content, saved_at=stamp)
            )
        return draft_id, version

    def delete_draft(self, draft_id: int) -> bool:
        """Delete a draft with all its versions (explicitly: SQLite enforces no cascade by default);
        False when there was no such draft."""
        with self.engine.begin() as conn:
            conn.execute(delete(draft_versions).where(draft_versions.c.draft_id == draft_id))
            return conn.execute(delete(drafts).where(drafts.c.id == draft_id)).rowcount > 0

    def list_drafts(self, profile_id: str | None = None, call_id: str | None = None) -> list[dict[str, Any]]:
        latest = (
            select(draft_versions.c.draft_id, func.max(draft_versions.c.version).label("version"))
            .group_by(draft_versions.c.draft_id)
            .subquery()
        )
        query = select(drafts, latest.c.version).join(latest, latest.c.draft_id == drafts.c.id)
        if profile_id:
            query = query.where(drafts.c.profile_id == profile_id)
        if call_id:
            query = query.where(drafts.c.call_id == call_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(drafts.c.updated_at.desc())).all()
        out = []
        for r in rows:
            d = dict(r._mapping)
            d["created_at"] = _aware(d["created_at"])
            d["updated_at"] = _aware(d["updated_at"])
            out.append(d)
        return out

    def draft_versions(self, draft_id: int) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(draft_versions.c.version, draft_versions.c.saved_at)
                .where(draft_versions.c.draft_id == draft_id)
                .order_by(draft_versions.c.version.desc())
            ).all()
        return [{"version": r.version, "saved_at": _aware(r.saved_at)} for r in rows]

    def load_draft(self, draft_id: int, version: int | None = None) -> dict[str, Any]:
        with self.engine.connect() as conn:
            head = conn.execute(select(drafts).where(drafts.c.id == draft_id)).first()
            if head is None:
                raise KeyError(f"draft {draft_id} does not exist")
            query = select(draft_versions).where(draft_versions.c.draft_id == draft_id)
            if version is None:
                query = query.order_by(draft_versions.c.version.desc()).limit(1)
            else:
                query = query.where(draft_versions.c.version == version)
            row = conn.execute(query).first()
            if row is None:
                raise KeyError(f"draft {draft_id} has no version {version}")
        return {
            "id": head.id,
            "profile_id": head.profile_id,
            "call_id": head.call_id,
            "template": head.template,
            "title": head.title,
            "content": row.content,
            "version": row.version,
            "saved_at": _aware(row.saved_at),
        }

    # ------------------------------------------------------------------ consultations and visits

    def add_consultation(self, profile_id: str, notes: str = "", held_at: datetime | None = None) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(
                insert(consultations).values(profile_id=profile_id, held_at=held_at or now_utc(), notes=notes)
            )
            return int(result.inserted_primary_key[0])

    def consultations(self, profile_id: str) -> list[dict[str, Any]]:
        """Consultations of one profile, newest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(consultations)
                .where(consultations.c.profile_id == profile_id)
                .order_by(consultations.c.held_at.desc())
            ).all()
        return [{"id": r.id, "held_at": _aware(r.held_at), "notes": r.notes} for r in rows]

    def record_visit(self, profile_id: str, at: datetime | None = None) -> datetime | None:
        """Note a visit to a profile's matches; returns the time of the visit before this one."""
        at = at or now_utc()
        with self.engine.begin() as conn:
            row = conn.execute(select(visits).where(visits.c.profile_id == profile_id)).first()
            if row is None:
                conn.execute(insert(visits).values(profile_id=profile_id, previous_at=None, last_at=at))
                return None
            conn.execute(
                update(visits).where(visits.c.profile_id == profile_id).values(previous_at=row.last_at, last_at=at)
            )
            return _aware(row.last_at)

    def last_visit(self, profile_id: str) -> datetime | None:
        """The visit before the current one (what "new since last visit" compares with)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(visits.c.previous_at).where(visits.c.profile_id == profile_id)).first()
        return _aware(row.previous_at) if row else None


def _check_stage(stage: str) -> None:
    if stage not in PIPELINE_STAGES:
        raise ValueError(f"pipeline: stage {stage!r} is not one of {', '.join(PIPELINE_STAGES)}")


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """Foreign keys on; WAL so the app reads while the weekly job writes; a commit does not wait for the disk.

    ``synchronous=NORMAL`` is SQLite's recommended setting with WAL: the file stays consistent after a
    crash of the process, the OS or the power, but a power cut can undo the last transactions
    committed before it (an application crash loses nothing). The default (FULL) waits for an fsync on
    every commit, which made the run log and per-source upserts most of a no-change weekly re-run.
    """
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _alembic_config() -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg

