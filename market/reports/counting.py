"""When a purchase counts: at its contract (the default) or at its payment, as the support center chooses."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from market.core import audit
from market.core.errors import NotAllowed, ValidationFailed
from market.extensions import db
from market.reports.models import CONTRACT, COUNTING_POINTS, ReportSetting
from market.reports.permissions import can_set_counting_point

COUNTING_POINT_LABELS = {
    "contract": _l("At the contract (the order is placed)"),
    "payment": _l("At the payment (unpaid orders do not count yet)"),
}


def counting_point() -> str:
    return db.session.scalar(sa.select(ReportSetting.counting_point).where(ReportSetting.id == 1)) or CONTRACT


def set_counting_point(actor, point: str) -> None:
    if not can_set_counting_point(actor):
        raise NotAllowed(_("Only the support center decides how purchases are counted."))
    if point not in COUNTING_POINTS:
        raise ValidationFailed(_("Choose when a purchase counts."))
    setting = db.session.get(ReportSetting, 1)
    before = setting.counting_point if setting else CONTRACT
    if setting is None:
        setting = ReportSetting(id=1)
        db.session.add(setting)
    setting.counting_point, setting.updated_by_id = point, actor.id
    db.session.flush()
    if before != point:
        audit.record(actor, "report_setting.update", setting, before={"counting_point": before},
                     after={"counting_point": point})
