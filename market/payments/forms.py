from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from market.catalog.forms import MAX_PRICE_KRW
from market.core.fields import WON_MESSAGE, WonField
from market.extensions import current_locale
from market.payments.banks import BANKS


class TransferForm(FlaskForm):
    received_on = DateField(_l("Date received"), validators=[InputRequired()])
    amount_krw = WonField(_l("Amount received (won)"), validators=[
        InputRequired(), NumberRange(min=1, max=MAX_PRICE_KRW, message=WON_MESSAGE)])
    reference = StringField(_l("Reference (depositor name or bank memo)"), validators=[Optional(), Length(max=100)])


class RefundForm(FlaskForm):
    amount_krw = WonField(_l("Amount to refund (won)"), validators=[
        InputRequired(), NumberRange(min=1, max=MAX_PRICE_KRW, message=WON_MESSAGE)])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class TransferAccountForm(FlaskForm):
    bank_code = SelectField(_l("Bank"), validators=[DataRequired()])
    account_number = StringField(_l("Account number"), filters=[lambda value: (value or "").strip()], validators=[
        DataRequired(), Regexp(r"^(?=(?:\D*\d){10,16}\D*$)[0-9][0-9-]*[0-9]$",
                               message=_l("Enter the account number: 10 to 16 digits, hyphens allowed."))])
    holder = StringField(_l("Account holder"), filters=[lambda value: (value or "").strip()],
                         validators=[DataRequired(), Length(max=100)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.bank_code.choices = [("", "—")] + [(bank.code, bank.name(current_locale())) for bank in BANKS]
