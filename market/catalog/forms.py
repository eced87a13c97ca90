"""Catalog forms: validated on the server, lengths matching the columns, the user's input kept on error."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (BooleanField, DateField, IntegerField, SelectField, SelectMultipleField, StringField,
                     TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Email, InputRequired, Length, NumberRange, Optional, Regexp

from market.accounts.forms import PHONE
from market.catalog import kinds, services
from market.catalog.areas import AREAS

MAX_PRICE_KRW = 10_000_000_000  # ten billion won: beyond any listing; catches a slipped key


def _choices(pairs, blank=None):
    choices = [SelectChoice("", blank)] if blank is not None else []
    return choices + [SelectChoice(value, label) for value, label in pairs]


def industry_choices(tree, locale: str, blank=None):
    return _choices([(i.code, i.name(locale)) for i in tree], blank)


def group_choices(tree, locale: str, blank=None):
    choices = [SelectChoice("", blank)] if blank is not None else []
    for industry in tree:
        choices += [SelectChoice(g.code, g.name(locale), optgroup=industry.name(locale)) for g in industry.children]
    return choices


class EnterpriseForm(FlaskForm):
    name = StringField(_l("Enterprise name"), validators=[DataRequired(), Length(max=120)])
    name_en = StringField(_l("Name in English (optional)"), validators=[Optional(), Length(max=160)])
    business_number = StringField(_l("Business registration number"), validators=[
        Optional(), Regexp(r"^\d{3}-?\d{2}-?\d{5}$", message=_l("Ten digits, e.g. 401-81-28592."))])
    representative = StringField(_l("Representative"), validators=[Optional(), Length(max=40)])
    phone = StringField(_l("Phone"), validators=[Optional(), PHONE])
    email = StringField(_l("Business e-mail"), validators=[
        Optional(), Length(max=254), Email(message=_l("Enter a valid e-mail address."), check_deliverability=False)])
    website = StringField(_l("Website"), validators=[Optional(), Length(max=200),
                                                     URL(message=_l("Enter an address starting with https://"))])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=200)])
    area = SelectField(_l("Area (eup/myeon/dong)"), choices=_choices([(a, a) for a in AREAS], "—"),
                       validators=[Optional()])
    main_industry = SelectField(_l("Main industry"), validators=[DataRequired()])
    secondary_industries = SelectMultipleField(_l("Other industries"), validators=[Optional()])
    employees = IntegerField(_l("Employees"), validators=[Optional(), NumberRange(min=0, max=100000)])
    vulnerable_employees = IntegerField(_l("Of whom from vulnerable groups"),
                                        validators=[Optional(), NumberRange(min=0, max=100000)])
    founded_year = IntegerField(_l("Founded (year)"), validators=[Optional(), NumberRange(min=1900, max=2100)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])


class CertificationForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=_choices(kinds.CERTIFICATION_KINDS.items()), validators=[DataRequired()])
    number = StringField(_l("Certification or designation number"), validators=[Optional(), Length(max=60)])
    designated_by = SelectField(_l("Designated by (preliminary social enterprises)"),
                                choices=_choices(kinds.DESIGNATIONS.items(), "—"), validators=[Optional()])
    valid_from = DateField(_l("Valid from"), validators=[DataRequired(message=_l("Enter a date."))])
    valid_to = DateField(_l("Valid until (leave empty if open-ended)"), validators=[Optional()])


class ListingForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)])
    category = SelectField(_l("Type"), choices=_choices(kinds.LISTING_CATEGORIES.items()),
                           validators=[DataRequired()])
    industry = SelectField(_l("Industry"), validators=[DataRequired()])
    group = SelectField(_l("Item group"), validators=[Optional()])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=8000)])
    unit = SelectField(_l("Unit"), choices=_choices((u, u) for u in kinds.UNITS), validators=[DataRequired()])
    unit_price_krw = IntegerField(_l("Unit price (won)"), validators=[
        Optional(), NumberRange(min=0, max=MAX_PRICE_KRW, message=_l("Enter a whole number of won, at most %(limit)s.",
                                                                      limit=f"{MAX_PRICE_KRW:,}"))])
    price_on_request = BooleanField(_l("Price on request"))
    vat_included = BooleanField(_l("VAT included"), default=True)
    # InputRequired, not DataRequired: a typed 0 is refused by the range ("between 1 and …"), not called missing.
    min_order = IntegerField(_l("Minimum order"), default=1,
                             validators=[InputRequired(), NumberRange(min=1, max=1000000)])
    lead_time_days = IntegerField(_l("Lead time (days)"), validators=[Optional(), NumberRange(min=0, max=365)])
    service_area = StringField(_l("Service area"), validators=[Optional(), Length(max=120)])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and self.unit_price_krw.data is None and not self.price_on_request.data:
            self.unit_price_krw.errors.append(_l("Enter a price, or tick “Price on request”."))
            return False
        if valid and self.unit_price_krw.data is not None and self.price_on_request.data:
            # Saving would drop the typed price without a word: ask which one is meant.
            self.unit_price_krw.errors.append(_l("Enter a price or tick “Price on request”, not both."))
            return False
        return valid

    def data_for_service(self, industry_by_code=services.industry_by_code) -> services.ListingData:
        """The listing as the service takes it; the import passes a dict's `get` to look industries up once."""
        return services.ListingData(
            title=self.title.data, description=self.description.data or "",
            industry=industry_by_code(self.industry.data), group=industry_by_code(self.group.data),
            category=self.category.data, unit=self.unit.data,
            unit_price_krw=None if self.price_on_request.data else self.unit_price_krw.data,
            vat_included=self.vat_included.data, min_order=self.min_order.data,
            lead_time_days=self.lead_time_days.data, service_area=self.service_area.data)


class ImageForm(FlaskForm):
    image = FileField(_l("Image (JPEG, PNG, WebP or GIF, up to 10 MB)"),
                      validators=[FileRequired(message=_l("Choose a file."))])


class ImportForm(FlaskForm):
    file = FileField(_l("CSV or Excel file"), validators=[FileRequired(message=_l("Choose a file."))])


class DecisionForm(FlaskForm):
    note = TextAreaField(_l("Reason (sent to the enterprise)"), validators=[Optional(), Length(max=2000)])


class IndustryForm(FlaskForm):
    name_ko = StringField(_l("Name in Korean"), validators=[DataRequired(), Length(max=80)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=120)])


class ItemGroupForm(IndustryForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=64), Regexp(
        r"^[a-z0-9][a-z0-9-]*$", message=_l("Lower-case letters, digits and hyphens."))])
