from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from market.catalog.forms import MAX_PRICE_KRW
from market.core.fields import WON_MESSAGE, WonField

class TransferForm(FlaskForm):
    received_on = DateField(_l("Date received"), validators=[InputRequired()])
    amount_krw = WonField(_l("Amount received (won)"), validators=[
        InputRequired(), NumberRange(min=1, max=MAX_PRICE_KRW, message=WON_MESSAGE)])
    reference = StringField(_l("Reference (depositor name or bank memo)"), validators=[Optional(), Length(max=100)])


class RefundForm(FlaskForm):
    amount_krw = WonField(_l("Amount to refund (won)"), validators=[
        InputRequired(), NumberRange(min=1, max=MAX_PRICE_KRW, message=WON_MESSAGE)])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])
