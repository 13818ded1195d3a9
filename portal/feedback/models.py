"""Anonymous feedback on the service: a rating, an optional comment, the day and the page it came from."""

from datetime import date

from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import Base

# The satisfaction scale, 5 "Very satisfied" to 1 "Very dissatisfied" (as the surveys score it).
RATINGS = range(1, 6)


class Feedback(Base):
    """One piece of feedback. Nothing here says who gave it: no account, no report, no address, no time of day
    (the London day only, so rows cannot be matched to requests in a log), and the page as its route's pattern
    (``/cases/<crime_number>``), never the address with a crime number or a secret in it."""

    __tablename__ = "service_feedback"
    __table_args__ = (CheckConstraint("rating BETWEEN 1 AND 5", name="rating_on_the_scale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    given_on: Mapped[date] = mapped_column(index=True)
    rating: Mapped[int]
    comment: Mapped[str | None] = mapped_column(Text)
    page: Mapped[str | None] = mapped_column(String(200))
