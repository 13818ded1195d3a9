"""Timeline events on a case."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import Base


class TimelineEvent(Base):
    """Something that happened on a case, and who may see it.

    An event seen by neither the victim nor witnesses is internal to staff.
    """

    __tablename__ = "timeline_events"
    __table_args__ = (Index("ix_timeline_events_report_time", "report_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    occurred_at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str | None] = mapped_column(Text)
    visible_to_victim: Mapped[bool] = mapped_column(default=False)
    visible_to_witness: Mapped[bool] = mapped_column(default=False)
    reason_code: Mapped[str | None] = mapped_column(String(40))
    # Values for %(name)s placeholders in the title and body, which are stored in English with the placeholders,
    # so that they can be shown in the reader's language (an organisation's name, say).
    text_values: Mapped[dict | None] = mapped_column(JSON)

    def shown(self, text: str | None) -> str | None:
        """The title or body in the page's language, with its values filled in."""
        from portal.i18n import translated

        if not text:
            return text
        words = translated(text)
        if not self.text_values:
            return words
        try:
            return words % self._values(translate=True)
        except (KeyError, ValueError, TypeError):  # a translation that lost a placeholder: show the English
            return text % self._values(translate=False)

    def _values(self, translate: bool) -> dict:
        """The values to fill in: a date as a date in the page's language; fixed text (a level of support), or a
        list of it (what was shared, joined with semicolons), translated; a name as it is."""
        from datetime import datetime

        from portal.i18n import DEFAULT_LANGUAGE, current_language, translated, uk_datetime

        def one(value):
            return translated(value) if translate else value

        shown = {}
        for key, value in self.text_values.items():
            if isinstance(value, dict) and "datetime" in value:
                shown[key] = uk_datetime(datetime.fromisoformat(value["datetime"]))
            elif isinstance(value, list):  # lower case mid-sentence in English; other languages as translated
                english = not translate or current_language() == DEFAULT_LANGUAGE
                shown[key] = "; ".join(one(item).lower() if english else one(item) for item in value)
            elif isinstance(value, str):
                shown[key] = one(value)
            else:
                shown[key] = value
        return shown

    @property
    def shown_title(self) -> str:
        """The title as the victim or witness reads it."""
        return self.shown(self.title)

    @property
    def shown_body(self) -> str | None:
        """The body as the victim or witness reads it."""
        return self.shown(self.body)
