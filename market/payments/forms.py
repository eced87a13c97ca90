from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, StopValidation
from wtforms.widgets import TextInput

from market.catalog.forms import MAX_PRICE_KRW

WON_MESSAGE = _l("Enter a whole number of won, at least 1.")


class WonField(IntegerField):
    """Whole won as people write them: "1,250,000", "1250000" or "1,250,000원"; shown with separators."""

    widget = TextInput()

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = valuelist[0].replace(",", "").replace("원", "").strip()
        if not text:
            self.data = None
            return
        if not text.isdigit():
            self.data = None
            raise ValueError(self.gettext(WON_MESSAGE))
        self.data = int(text)

    def pre_validate(self, form):
        if self.process_errors:  # said once, not again by the range check
            raise StopValidation()

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return f"{self.data:,}" if isinstance(self.data, int) else ""


class TransferForm(FlaskForm):
    received_on = DateField(_l("Date received"), validators=[InputRequired()])
    amount_krw = WonField(_l("Amount received (won)"), validators=[
        InputRequired(), NumberRange(min=1, max=MAX_PRICE_KRW, message=WON_MESSAGE)])
    reference = StringField(_l("Reference (depositor name or bank memo)"), validators=[Optional(), Length(max=100)])


class RefundForm(FlaskForm):
    amount_krw = WonField(_l("Amount to refund (won)"), validators=[
        InputRequired(), NumberRange(min=1, max=MAX_PRICE_KRW, message=WON_MESSAGE)])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])
