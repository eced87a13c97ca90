"""Purchasing targets: set by the support center, or proposed by an agency's manager and decided by the city."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from market.core.actions import perform
from market.core.errors import DomainError, ValidationFailed
from market.core.permissions import city_admin_required, require
from market.extensions import db
from market.reports import queries, services
from market.reports.models import AMOUNT, PERCENT, TargetProposal
from market.reports.permissions import can_report_for
from market.reports.states import PROPOSAL
from market.reports.statutory import denominator, statutory_rates
from market.reports.views.common import _agency, _digits, _parts, _year, bp, category_labels


def _form_values(goals: dict) -> dict[str, dict]:
    """What the targets form shows for each category, from goals (standing, proposed or statutory)."""
    values = {}
    for category in queries.CATEGORIES:
        goal = goals.get(category)
        if goal is None:
            values[category] = {"basis": AMOUNT, "value": "", "works": ""}
        elif goal.basis == PERCENT:
            values[category] = {"basis": PERCENT, "value": services.format_rate(goal.rate_bp),
                                "works": services.format_rate(goal.works_rate_bp)}
        else:
            values[category] = {"basis": AMOUNT, "value": goal.amount_krw, "works": ""}
    return values


def _posted_values() -> dict[str, dict]:
    return {c: {"basis": request.form.get(f"basis-{c}") or AMOUNT, "value": request.form.get(f"target-{c}", "").strip(),
                "works": request.form.get(f"works-{c}", "").strip()} for c in queries.CATEGORIES}


def _parse_goals(values: dict[str, dict]) -> dict:
    """Goals from the form: won, or a percentage (with a rate on works where the category leaves works out)."""
    goals = {}
    for category, value in values.items():
        if value["basis"] == PERCENT and value["value"]:
            works = value["works"] if "works" not in denominator(category) else ""
            goals[category] = services.Goal(PERCENT, rate_bp=services.parse_rate(value["value"]),
                                            works_rate_bp=services.parse_rate(works) if works else None)
        elif value["basis"] in (AMOUNT, PERCENT):
            amount = _digits(value["value"]) if value["basis"] == AMOUNT else None
            goals[category] = None if amount is None else services.Goal(AMOUNT, amount_krw=amount)
        else:
            raise ValidationFailed(_("A target is an amount in won or a percentage."))
    return goals


def _targets_context(agency, year: int) -> dict:
    stages = services.totals(year, agency.id).get(agency.id, {})
    return {"agency": agency, "year": year, "labels": category_labels(), "statutory": statutory_rates(year),
            "denominators": {c: denominator(c) for c in queries.CATEGORIES}, "parts": _parts(),
            "base": services.denominator_of(stages), "effective": services.targets(year, agency.id),
            "format_rate": services.format_rate}


@bp.route("/agencies/<int:agency_id>/targets", methods=["GET", "POST"])
@city_admin_required
def targets(agency_id: int):
    agency = _agency(agency_id)
    year = _year()
    if request.method == "GET":
        return render_template("reports/targets.html", values=_form_values(services.form_defaults(year, agency.id)),
                               **_targets_context(agency, year))
    values = _posted_values()
    try:
        services.set_targets(current_user, agency, year, _parse_goals(values))
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return render_template("reports/targets.html", values=values, **_targets_context(agency, year)), 400
    db.session.commit()
    flash(_("The targets have been saved."), "success")
    return redirect(url_for("reports.agency", agency_id=agency.id, year=year))


@bp.route("/agencies/<int:agency_id>/proposal", methods=["GET", "POST"])
@login_required
def proposal(agency_id: int):
    """The agency's manager proposes its targets; the city reads the proposal here and decides."""
    agency = _agency(agency_id)
    year = _year()
    latest = services.latest_proposal(year, agency.id)
    if request.method == "POST":
        require(can_report_for(current_user, agency))
        values = _posted_values()
        try:
            services.propose_targets(current_user, agency, year, _parse_goals(values))
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "danger")
            status = 400
        else:
            db.session.commit()
            flash(_("Your targets have been sent to the support center for approval."), "success")
            return redirect(url_for("reports.proposal", agency_id=agency.id, year=year))
    else:
        # A pending or returned proposal is amended from where it stands; after approval, the targets are it.
        values, status = _form_values(services.proposal_goals(latest) if latest and latest.status != "approved"
                                      else services.form_defaults(year, agency.id)), 200
    proposed = services.proposal_goals(latest) if latest else {}
    base = services.denominator_of(services.totals(year, agency.id).get(agency.id, {}))
    return render_template("reports/proposal.html", values=values, proposal=latest, states=PROPOSAL.states,
                           proposed={c: g.won(c, base) for c, g in proposed.items()}, proposed_goals=proposed,
                           standing=services.standing_goals(year, agency.id),
                           can_propose=can_report_for(current_user, agency),
                           **_targets_context(agency, year)), status


@bp.route("/proposals/<int:proposal_id>/<any(approve, return):action>", methods=["POST"])
@city_admin_required
def decide_proposal(proposal_id: int, action: str):
    proposal = db.get_or_404(TargetProposal, proposal_id)
    perform(lambda: services.decide_proposal(current_user, proposal, action, request.form.get("note")),
            lambda: _("The proposed targets are now: %(state)s.", state=PROPOSAL.state(proposal.status).label))
    return redirect(url_for("reports.proposal", agency_id=proposal.agency_id, year=proposal.year))
