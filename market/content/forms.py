"""Forms of the portal: every field validated on the server, lengths matching the columns."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, DateField, DateTimeLocalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError

from market.content.models import NOTICE_CATEGORIES, PUBLISHED, RESOURCE_CATEGORIES
from market.content.services import NoticeData, PageData, PostData, Publication, ResourceData, to_seoul

BODY_MAX = 50_000


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _title():
    return StringField(_l("Title"), filters=[_strip], validators=[DataRequired(), Length(max=200)])


def _body(label=_l("Text"), required=True):
    return TextAreaField(label, validators=[DataRequired() if required else Optional(), Length(max=BODY_MAX)],
                         render_kw={"rows": 14})


class PublicationForm(FlaskForm):
    """Drafts and scheduled publication, shared by every editing form."""

    save_as = SelectField(_l("Status"), default="draft", choices=[
        SelectChoice("draft", _l("Draft (only the editors see it)")),
        SelectChoice("publish", _l("Publish")),
    ])
    publish_at = DateTimeLocalField(_l("Publish at (Korea time, optional)"), format="%Y-%m-%dT%H:%M",
                                    validators=[Optional()])

    def publication(self) -> Publication:
        publish = self.save_as.data == "publish"
        return Publication(publish=publish, publish_at=self.publish_at.data if publish else None)

    def show_publication(self, item) -> None:
        """On first display of an existing item: its publication choice and, if scheduled, the time."""
        self.save_as.data = "publish" if item.status == PUBLISHED else "draft"
        self.publish_at.data = to_seoul(item.published_at) if item.publication_code == "scheduled" else None


class NoticeForm(PublicationForm):
    category = SelectField(_l("Category"), choices=[SelectChoice(code, label) for code, label in NOTICE_CATEGORIES.items()])
    title = _title()
    body = _body()
    pinned = BooleanField(_l("Pin to the top of the list"))
    apply_starts_on = DateField(_l("Applications open on"), validators=[Optional()])
    apply_ends_on = DateField(_l("Applications close on"), validators=[Optional()])
    attachments = MultipleFileField(_l("Attach files"))

    def validate_apply_ends_on(self, field):
        if self.apply_starts_on.data and not field.data:
            raise ValidationError(_l("Give the last day of the application period."))
        if field.data and self.apply_starts_on.data and field.data < self.apply_starts_on.data:
            raise ValidationError(_l("The application period ends before it starts."))

    def data_for_service(self) -> NoticeData:
        return NoticeData(category=self.category.data, title=self.title.data, body=self.body.data,
                          publication=self.publication(), pinned=self.pinned.data,
                          apply_starts_on=self.apply_starts_on.data, apply_ends_on=self.apply_ends_on.data)


class ResourceForm(PublicationForm):
    category = SelectField(_l("Category"),
                           choices=[SelectChoice(code, label) for code, label in RESOURCE_CATEGORIES.items()])
    title = _title()
    body = _body(_l("Description"), required=False)
    attachments = MultipleFileField(_l("Files"))

    def data_for_service(self) -> ResourceData:
        return ResourceData(category=self.category.data, title=self.title.data, body=self.body.data,
                            publication=self.publication())


class PageForm(PublicationForm):
    title = _title()
    slug = StringField(_l("Address (after /guides/)"), filters=[_strip], validators=[
        DataRequired(), Length(min=2, max=80),
        Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
               message=_l("Use lowercase letters, digits and hyphens, e.g. social-enterprise."))])
    summary = StringField(_l("Summary (shown in the list)"), filters=[_strip], validators=[Optional(), Length(max=300)])
    body = _body()
    position = IntegerField(_l("Order in the list"), default=0, validators=[Optional(), NumberRange(min=0, max=999)])

    def data_for_service(self) -> PageData:
        return PageData(slug=self.slug.data, title=self.title.data, summary=self.summary.data, body=self.body.data,
                        position=self.position.data or 0, publication=self.publication())


class PostForm(PublicationForm):
    title = _title()
    body = _body()
    video_url = StringField(_l("Video link (YouTube or Vimeo, optional)"), filters=[_strip], validators=[
        Optional(), Length(max=300),
        Regexp(r"^https://\S+$", message=_l("Give the video's address starting with https://."))])
    photos = MultipleFileField(_l("Photos (PNG or JPEG, up to 6)"))

    def data_for_service(self) -> PostData:
        return PostData(title=self.title.data, body=self.body.data, video_url=self.video_url.data,
                        publication=self.publication())


class ModerationForm(FlaskForm):
    note = TextAreaField(_l("Reason (sent to the enterprise)"), validators=[Optional(), Length(max=2000)],
                         render_kw={"rows": 3})
