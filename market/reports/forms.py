"""Forms of the reports: off-platform purchases, their verification, the counting point."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from market.catalog.kinds import LISTING_CATEGORIES
from market.core.fields import WON_MESSAGE, WonField
from market.reports.counting import COUNTING_POINT_LABELS
from market.reports.off_platform import MAX_AMOUNT_KRW

CHANNEL_LABELS = {
    "platform": _l("This platform"),
    "own_contract": _l("Own contract"),
    "pps": _l("Public Procurement Service (KONEPS)"),
    "other_platform": _l("Other platform"),
}


class OffPlatformForm(FlaskForm):
    enterprise_id = SelectField(_l("Enterprise"), coerce=int,
                                validators=[InputRequired(message=_l("Choose an enterprise of the platform."))])
    contract_date = DateField(_l("Contract date"), validators=[InputRequired(message=_l("Enter the contract date."))])
    amount_krw = WonField(_l("Amount (won, VAT included)"),
                          validators=[InputRequired(message=_l("Enter the amount in won.")),
                                      NumberRange(min=1, max=MAX_AMOUNT_KRW, message=WON_MESSAGE)])
    category = SelectField(_l("Type"), choices=[SelectChoice(k, v) for k, v in LISTING_CATEGORIES.items()])
    channel = SelectField(_l("Where it was bought"),
                          choices=[SelectChoice(k, v) for k, v in CHANNEL_LABELS.items() if k != "platform"])
    description = TextAreaField(_l("What was bought"), validators=[DataRequired(), Length(max=500)])
    evidence = FileField(_l("Evidence (contract, invoice or receipt)"))


class DecisionForm(FlaskForm):
    note = TextAreaField(_l("Reason (sent to the agency)"), validators=[Optional(), Length(max=2000)])


class CountingPointForm(FlaskForm):
    counting_point = RadioField(_l("A purchase on the platform counts"),
                                choices=[SelectChoice(k, v) for k, v in COUNTING_POINT_LABELS.items()],
                                validators=[InputRequired(message=_l("Choose when a purchase counts."))])
