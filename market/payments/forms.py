from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from market.catalog.forms import MAX_PRICE_KRW


class WonField(IntegerField):
    """Whole won as people write them: "1,250,000" or "1250000"."""

    def process_formdata(self, valuelist):
        if valuelist:
            valuelist = [valuelist[0].replace(",", "").replace("원", "").strip()]
        super().process_formdata(valuelist)


class TransferForm(FlaskForm):
    received_on = DateField(_l("Date received"), validators=[InputRequired()])
    amount_krw = WonField(_l("Amount received (won)"), validators=[
        InputRequired(), NumberRange(min=1, max=MAX_PRICE_KRW, message=_l("Enter a whole number of won."))])
    reference = StringField(_l("Reference (depositor name or bank memo)"), validators=[Optional(), Length(max=100)])


class RefundForm(FlaskForm):
    amount_krw = WonField(_l("Amount to refund (won)"), validators=[
        InputRequired(), NumberRange(min=1, max=MAX_PRICE_KRW, message=_l("Enter a whole number of won."))])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])
