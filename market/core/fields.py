"""Form fields every domain uses."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField
from wtforms.validators import StopValidation
from wtforms.widgets import TextInput

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
