"""Writing audit entries: every change a person may later ask "why?" about; and reading them back as people do."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from flask_babel import format_date, format_datetime, format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from market.core.models import AuditEntry
from market.core.money import format_krw
from market.extensions import current_locale, db


def record(actor, action: str, subject, before: dict | None = None, after: dict | None = None,
           note: str | None = None) -> AuditEntry:
    if subject.id is None:
        db.session.flush()
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        subject_type=type(subject).__name__,
        subject_id=subject.id,
        before=before,
        after=after,
        note=note,
    )
    db.session.add(entry)
    return entry


def history(subject) -> list[AuditEntry]:
    return db.session.scalars(
        db.select(AuditEntry)
        .where(AuditEntry.subject_type == type(subject).__name__, AuditEntry.subject_id == subject.id)
        .order_by(AuditEntry.at, AuditEntry.id)
    ).all()


# What people read in a history instead of the recorded action code ("request.send" -> "Sent").
VERBS = {
    "create": _l("Created"), "update": _l("Updated"), "amend": _l("Amended"), "send": _l("Sent"),
    "submit": _l("Submitted"), "decline": _l("Declined"), "place": _l("Order placed"), "award": _l("Awarded"),
    "upload": _l("File attached"), "signup": _l("Registered"), "invite": _l("Invited"), "withdraw": _l("Withdrawn"),
    "close": _l("Closed"), "accept": _l("Accepted"), "not_select": _l("Not selected"), "set": _l("Target set"),
    "approve": _l("Approved"), "reject": _l("Rejected"), "suspend": _l("Suspended"), "reinstate": _l("Reinstated"),
    "verify": _l("Verified"), "revoke": _l("Revoked"), "resubmit": _l("Submitted again"), "publish": _l("Published"),
    "unpublish": _l("Unpublished"), "archive": _l("Archived"), "restore": _l("Restored"), "hide": _l("Hidden"),
    "duplicate": _l("Duplicated"), "confirm": _l("Confirmed"), "deliver": _l("Delivered"), "inspect": _l("Inspected"),
    "invoice": _l("Invoiced"), "pay": _l("Paid"), "cancel": _l("Cancelled"), "return": _l("Returned"),
    "delete": _l("Deleted"), "remove": _l("Removed"), "logo": _l("Logo changed"), "add_image": _l("Image added"),
    "remove_image": _l("Image removed"), "update_profile": _l("Profile changed"),
    "change_password": _l("Password changed"), "reset_password": _l("Password reset"),
    "accept_invitation": _l("Invitation accepted"), "start": _l("Payment started"), "request": _l("Requested"),
    "succeed": _l("Succeeded"), "fail": _l("Failed"), "expire": _l("Expired"), "complete": _l("Completed"),
    "dispute": _l("Dispute raised"), "settle": _l("Dispute settled"),
}


def action_label(action: str):
    return VERBS.get(action.rsplit(".", 1)[-1], action)


# --- before and after, as people read them ---

# What people read instead of a recorded field name; domains add the names that are their own codes
# (label_fields). A name missing here is shown as written, underscores as spaces.
FIELDS = {
    "status": _l("Status"), "name": _l("Name"), "name_ko": _l("Name in Korean"), "name_en": _l("Name in English"),
    "code": _l("Code"), "kind": _l("Kind"), "number": _l("Number"), "valid_from": _l("Valid from"),
    "valid_to": _l("Valid until"), "business_number": _l("Business registration number"),
    "representative": _l("Representative"), "area": _l("Area"), "email": _l("E-mail"), "website": _l("Website"),
    "description": _l("Description"), "employees": _l("Employees"),
    "vulnerable_employees": _l("Of whom from vulnerable groups"), "founded_year": _l("Founded (year)"),
    "logo": _l("Logo"), "image": _l("Images"), "title": _l("Title"), "unit_price_krw": _l("Unit price"),
    "category": _l("Category"), "industry_id": _l("Industry"), "deadline": _l("Quote deadline"),
    "items": _l("Items"), "audience": _l("Who may quote"), "total_krw": _l("Total"), "amount_krw": _l("Amount"),
    "method": _l("Method"), "role": _l("Role"), "locale": _l("Language"), "year": _l("Year"),
    "targets": _l("Targets"), "published_at": _l("Published"), "pinned": _l("Pinned"),
    "apply_starts_on": _l("Applications open on"), "apply_ends_on": _l("Applications close on"),
    "video_url": _l("Video"), "moderation": _l("Moderation"), "enterprise_id": _l("Enterprise"),
    "contract_date": _l("Contract date"), "channel": _l("Channel"), "evidence": _l("Evidence"),
    "bank_code": _l("Bank"), "account_number": _l("Account number"), "holder": _l("Account holder"),
    "phone": _l("Phone"), "address": _l("Address"),
}
# Keys that say which record a change is about (the year of a target): shown even when they did not change.
CONTEXT_FIELDS = ("year",)
SHORTEN_AT = 120  # a description is a change, not a document: its beginning says which

_VALUE_LABELS: dict[tuple[str, str], Mapping] = {}


def label_fields(labels: Mapping) -> None:
    """Name fields that are a domain's own codes (a report's categories)."""
    FIELDS.update(labels)


def label_values(subject: str, field: str, labels: Mapping) -> None:
    """Show a recorded code by its label in every history: `subject` is the action's prefix ("organization"
    in "organization.approve"). Each state machine labels its states this way; a domain may add its kinds."""
    _VALUE_LABELS[(subject, field)] = labels


@dataclass(frozen=True)
class Change:
    """One field of an entry, as text: before and after a change, or only one of them (created, deleted)."""
    field: str
    before: str | None = None
    after: str | None = None


def field_label(name: str) -> str:
    label = FIELDS.get(name)
    return str(label) if label is not None else name.replace("_", " ")


def changes(entry: AuditEntry) -> list[Change]:
    """The entry's before and after field by field, labelled and formatted; unchanged fields are left out."""
    subject = entry.action.split(".", 1)[0]
    before, after = entry.before or {}, entry.after or {}
    both = entry.before is not None and entry.after is not None
    result = []
    for key in dict.fromkeys([*after, *before]):
        old, new = before.get(key), after.get(key)
        if both and old == new:
            if key in CONTEXT_FIELDS:
                result.append(Change(field_label(key), after=_shown(subject, key, new)))
            continue
        result.append(Change(field_label(key), before=_shown(subject, key, old) if key in before else None,
                             after=_shown(subject, key, new) if key in after else None))
    return result


def describe(entry: AuditEntry) -> str:
    """The changes of an entry on one line (a file for auditors)."""
    def text(change: Change) -> str:
        if change.before is not None and change.after is not None:
            return f"{change.field}: {change.before} → {change.after}"
        return f"{change.field}: {change.after if change.after is not None else change.before}"

    return "; ".join(text(change) for change in changes(entry))


def _shown(subject: str, key: str, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    labels = _VALUE_LABELS.get((subject, key))
    if labels is not None and isinstance(value, str) and value in labels:
        return str(labels[value])
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int) and key.endswith("_krw"):
        return format_krw(value, current_locale())
    if isinstance(value, int) and key.endswith("_bp"):  # basis points: 250 is 2.5 %
        return format_percent(value / 10_000, "#,##0.##%")
    if isinstance(value, dict):
        return ", ".join(f"{field_label(k)}: {_shown(subject, k, v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_shown(subject, key, v) for v in value)
    if isinstance(value, str):
        return _when(value) or (value if len(value) <= SHORTEN_AT else value[:SHORTEN_AT].rstrip() + "…")
    return str(value)


def _when(value: str) -> str | None:
    """A recorded ISO date or time as the page shows dates (times in Korea time), or None if it is not one."""
    if not (len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-" and value[:4].isdigit()):
        return None
    try:
        if len(value) == 10:
            return format_date(date.fromisoformat(value))
        return format_datetime(datetime.fromisoformat(value), "short")
    except ValueError:
        return None


# --- what an entry is about: the audit log names each subject and links to its page ---

@dataclass(frozen=True)
class SubjectKind:
    """How the audit log shows one kind of record; each domain describes its own (describe_subject)."""
    label: Any                  # lazy translated string: "Organisation"
    model: type
    name: Any                   # SQL expression naming one record (a column, a scalar subquery), or None
    keys: tuple                 # SQL expressions whose values `url` receives
    url: Callable[..., str] | None
    actions: tuple[str, ...]    # action codes the log may be filtered by


@dataclass(frozen=True)
class Subject:
    kind: SubjectKind | None
    id: int
    name: str | None = None     # None: the record is gone, or its kind names none
    url: str | None = None


SUBJECTS: dict[str, SubjectKind] = {}


def describe_subject(model, label, *, name=None, keys: tuple = (), url: Callable[..., str] | None = None,
                     machine=None, actions: Iterable[str] = ()) -> None:
    """Let the audit log name records of `model` and link to their page: `url(*values of keys)` (the id when no
    keys are given). The log can be filtered by the moves of the model's state machine and by `actions`."""
    moves = dict.fromkeys(f"{machine.name}.{action}" for (_state, action) in machine.moves) if machine else {}
    SUBJECTS[model.__name__] = SubjectKind(label, model, name, keys or (model.id,), url, (*moves, *actions))


def subjects_of(entries: Iterable[AuditEntry]) -> dict[tuple[str, int], Subject]:
    """The subject of each entry, named and linked: one query per kind of subject among the entries."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        wanted[entry.subject_type].add(entry.subject_id)
    found: dict[tuple[str, int], Subject] = {}
    for type_name, ids in wanted.items():
        kind = SUBJECTS.get(type_name)
        for subject_id in ids:
            found[(type_name, subject_id)] = Subject(kind, subject_id)
        if kind is None:
            continue
        rows = db.session.execute(sa.select(kind.model.id, sa.literal(None) if kind.name is None else kind.name,
                                            *kind.keys).where(kind.model.id.in_(ids)))
        for subject_id, name, *keys in rows:
            found[(type_name, subject_id)] = Subject(kind, subject_id, name, kind.url(*keys) if kind.url else None)
    return found
