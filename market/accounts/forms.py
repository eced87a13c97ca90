"""Forms: every field validated on the server, with lengths that match the columns."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp

from market.accounts.models import Role

PASSWORD_MIN = 10
PHONE = Regexp(r"^[0-9+\-() ]{7,20}$", message=_l("Enter a phone number such as 063-450-1234."))


def _password(label):
    return PasswordField(label, validators=[
        DataRequired(), Length(min=PASSWORD_MIN, max=128,
                               message=_l("Use at least %(min)d characters.", min=PASSWORD_MIN))])


def _confirm():
    return PasswordField(_l("Repeat the password"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords do not match."))])


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _email(label=_l("E-mail")):
    return EmailField(label, filters=[_strip], validators=[
        DataRequired(), Length(max=254), Email(message=_l("Enter a valid e-mail address."),
                                               check_deliverability=False)])


class LoginForm(FlaskForm):
    email = _email()
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])
    remember = BooleanField(_l("Keep me logged in"))


class SignupForm(FlaskForm):
    organization_name = StringField(_l("Enterprise name"), validators=[DataRequired(), Length(max=120)])
    organization_name_en = StringField(_l("Name in English (optional)"), validators=[Optional(), Length(max=160)])
    phone = StringField(_l("Phone"), validators=[Optional(), PHONE])
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=80)])
    email = _email()
    password = _password(_l("Password"))
    confirm = _confirm()
    agree = BooleanField(_l("I agree that the support center may process this information to review the enterprise."),
                         validators=[DataRequired(message=_l("Please agree to continue."))])


class ForgotPasswordForm(FlaskForm):
    email = _email()


class SetPasswordForm(FlaskForm):
    password = _password(_l("New password"))
    confirm = _confirm()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=128)])
    password = _password(_l("New password"))
    confirm = _confirm()


class ProfileForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    locale = SelectField(_l("Language"), choices=[SelectChoice("ko", "한국어"), SelectChoice("en", "English")])


ROLE_LABELS = {
    Role.MEMBER: _l("Member"),
    Role.MANAGER: _l("Manager"),
    Role.BUYER: _l("Buyer"),
    Role.ADMIN: _l("Administrator"),
}


class InviteForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    email = _email()
    role = SelectField(_l("Role"))

    def __init__(self, organization_kind: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [SelectChoice(role, ROLE_LABELS[role]) for role in Role.BY_KIND[organization_kind]]


class AgencyForm(FlaskForm):
    name = StringField(_l("Agency name"), validators=[DataRequired(), Length(max=120)])
    name_en = StringField(_l("Name in English (optional)"), validators=[Optional(), Length(max=160)])
    phone = StringField(_l("Phone"), validators=[Optional(), PHONE])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=200)])
    manager_name = StringField(_l("Manager's name"), validators=[DataRequired(), Length(max=80)])
    manager_email = _email(_l("Manager's e-mail"))


class DecisionForm(FlaskForm):
    note = TextAreaField(_l("Reason (sent to the organisation)"), validators=[Optional(), Length(max=2000)])
    incomplete_confirmed = BooleanField(_l("Approve even so: the enterprise completes its profile later"))
