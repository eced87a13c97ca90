"""Buying forms. Amounts are whole won; the server recomputes every total."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (BooleanField, DateField, DateTimeLocalField, FieldList, FormField, HiddenField, IntegerField,
                     RadioField, SelectField, SelectMultipleField, StringField, TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from market.catalog import kinds
from market.catalog.forms import MAX_PRICE_KRW


class ItemForm(FlaskForm):
    class Meta:
        csrf = False  # a sub-form: the enclosing form carries the token

    listing_id = HiddenField()
    description = StringField(_l("Item"), validators=[Optional(), Length(max=200)])
    specification = StringField(_l("Specification"), validators=[Optional(), Length(max=500)])
    quantity = IntegerField(_l("Quantity"), validators=[Optional(), NumberRange(min=1, max=10_000_000)])
    # Blank rows are ignored, so the unit is checked by the service, for the rows that are used.
    unit = SelectField(_l("Unit"), choices=[SelectChoice(u, u) for u in kinds.UNITS], validate_choice=False)


class RequestForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)])
    purpose = TextAreaField(_l("Purpose"), validators=[Optional(), Length(max=4000)])
    category = SelectField(_l("Type"), choices=[SelectChoice(k, v) for k, v in kinds.LISTING_CATEGORIES.items()])
    items = FieldList(FormField(ItemForm), min_entries=3, max_entries=50)
    delivery_place = StringField(_l("Delivery place"), validators=[Optional(), Length(max=200)])
    delivery_date = DateField(_l("Delivery date"), validators=[Optional()])
    quote_deadline = DateTimeLocalField(_l("Quote deadline"), format="%Y-%m-%dT%H:%M",
                                        validators=[DataRequired(message=_l("Enter the deadline."))])
    budget_krw = IntegerField(_l("Budget (won, optional)"), validators=[Optional(), NumberRange(min=0, max=MAX_PRICE_KRW)])
    budget_visible = BooleanField(_l("Show the budget to the enterprises"))
    audience = RadioField(_l("Who may quote"), default="invited", choices=[
        SelectChoice("invited", _l("Enterprises I choose")),
        SelectChoice("industry", _l("Every approved enterprise of an industry (also for things nobody lists yet)"))])
    recipients = SelectMultipleField(_l("Enterprises to invite"), coerce=int, validators=[Optional()])
    industry = SelectField(_l("Industry"), validators=[Optional()])
    note = StringField(_l("What changed (sent to the enterprises)"), validators=[Optional(), Length(max=500)])
    attachments = MultipleFileField(_l("Documents (specification, drawings…)"))


class QuoteForm(FlaskForm):
    valid_until = DateField(_l("Quote valid until"), validators=[Optional()])
    lead_time_days = IntegerField(_l("Delivery lead time (days)"), validators=[Optional(), NumberRange(min=0, max=365)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=4000)])
    attachments = MultipleFileField(_l("Documents (quotation sheet, catalogue…)"))


class ReasonForm(FlaskForm):
    note = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=2000)])


class DirectOrderForm(FlaskForm):
    delivery_place = StringField(_l("Delivery place"), validators=[DataRequired(), Length(max=200)])
    delivery_date = DateField(_l("Delivery date"), validators=[Optional()])


class MessageForm(FlaskForm):
    body = TextAreaField(_l("Message"), validators=[DataRequired(), Length(max=5000)])
    attachments = MultipleFileField(_l("Attach files"))
