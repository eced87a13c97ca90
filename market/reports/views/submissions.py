"""The annual plan and results submission, and the purchase performance certificates (구매실적 확인서)."""
from __future__ import annotations

from flask import abort, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from market.core import tables
from market.core.permissions import city_admin_required
from market.core.timeutil import seoul_today
from market.extensions import db
from market.procurement.models import PurchaseOrder
from market.procurement.permissions import can_view_order
from market.reports import services, submission
from market.reports.forms import CHANNEL_LABELS
from market.reports.models import CHANNELS
from market.reports.views.common import _agency, _year, bp, category_labels


def _submission_table(year: int, found: list) -> tuple[list, list]:
    """The annual submission as one table: this year's plan beside last year's results, by category and channel."""
    labels, last = category_labels(), year - 1
    header = [_("Agency"), _("Category"),
              _("%(year)d planned purchases (won)", year=year), _("%(year)d target (won)", year=year),
              _("%(year)d target ratio (%%)", year=year),
              _("%(year)d total purchases (won)", year=last), _("%(year)d target (won)", year=last),
              _("%(year)d actual (won)", year=last), _("%(year)d ratio to total purchases (%%)", year=last),
              _("%(year)d attainment (%%)", year=last),
              *[_("%(year)d %(channel)s (won)", year=last, channel=label) for label in CHANNEL_LABELS.values()],
              _("%(year)d shortfall reason", year=last)]
    blank = lambda value: "" if value is None else value  # noqa: E731
    rows = [[r.agency.name, str(labels[r.category]), blank(r.plan_base_krw), blank(r.plan_target_krw),
             services.format_rate(r.plan_ratio_bp), blank(r.last_base_krw), blank(r.last_target_krw),
             r.last_actual_krw, services.format_rate(r.last_ratio_bp), blank(r.last_attainment_percent),
             *[r.last_by_channel[c] for c in CHANNELS], r.last_reason or ""] for r in found]
    return header, rows


@bp.route("/agencies/<int:agency_id>/submission")
@bp.route("/agencies/<int:agency_id>/submission.<any(csv, xlsx):fmt>")
@login_required
def agency_submission(agency_id: int, fmt: str | None = None):
    """The agency's annual plan and results submission, on screen (printable) or as a file."""
    agency, year = _agency(agency_id), _year()
    header, rows = _submission_table(year, submission.rows(year, agency.id))
    if fmt:
        return tables.download(fmt, f"submission-{year}-{agency.id}.{fmt}", header, rows)
    return render_template("reports/submission.html", agency=agency, year=year, header=header, rows=rows,
                           today=seoul_today())


@bp.route("/submission.<any(csv, xlsx):fmt>")
@city_admin_required
def city_submission(fmt: str):
    """Every agency's annual submission in one file, for the city's own report upwards."""
    year = _year()
    header, rows = _submission_table(year, submission.rows(year))
    return tables.download(fmt, f"submission-{year}.{fmt}", header, rows)


@bp.route("/agencies/<int:agency_id>/certificate")
@login_required
def certificate(agency_id: int):
    """구매실적 확인서: every counted purchase of the year, and the totals per category."""
    agency = _agency(agency_id)
    year = _year()
    purchases = services.counted_purchases(year, agency.id)
    return render_template("reports/certificate.html", agency=agency, year=year, purchases=purchases,
                           channel_labels=CHANNEL_LABELS,
                           sums=services.category_totals(purchases), labels=category_labels(),
                           issuer=services.support_center(), today=seoul_today(),
                           number=f"GS-C-{year}-{agency.id:05d}-{seoul_today():%Y%m%d}")


@bp.route("/orders/<int:order_id>/certificate")
@login_required
def order_certificate(order_id: int):
    """The certificate of one order, for the enterprise (or agency) to submit: where it counts, and how much."""
    order = db.get_or_404(PurchaseOrder, order_id)
    if not can_view_order(current_user, order):
        abort(404)
    return render_template("reports/order_certificate.html", order=order, labels=category_labels(),
                           counted=services.order_count(order), issuer=services.support_center(),
                           today=seoul_today(), number=f"GS-C-{order.number}-{seoul_today():%Y%m%d}")
