"""A figure as CSV: the same suppressed cells as the page, and no cell a spreadsheet would run as a formula."""

import csv
import io

from flask_babel import gettext as _

from portal.insight.figures import FigureData, Row, csv_value, gap_words
from portal.spreadsheets import spreadsheet_safe


def _row_cells(data: FigureData, row: Row) -> list[str]:
    cells = [row.label]
    if data.people_heading:
        cells.append(row.people.reason if row.people.suppressed else str(row.people.people))
    for column, value in zip(data.columns, row.values, strict=True):
        cells.append(value.reason if value.suppressed else csv_value(value.value, column.unit))
    if data.gaps:
        cells.append(gap_words(row.gap, data.unit) or "")
    return cells


def figure_csv(data: FigureData) -> str:
    """The whole figure: a heading row, the overall row (if shown), then each group."""
    heading = [data.group_heading]
    if data.people_heading:
        heading.append(data.people_heading)
    heading += [f"{c.heading} (%)" if c.unit == "percent" else f"{c.heading} (hours)" if c.unit == "hours"
                else f"{c.heading} (working days)" if c.unit == "working_days" else c.heading for c in data.columns]
    if data.gaps:
        heading.append(_("Compared with overall"))
    rows = ([data.overall] if data.overall is not None else []) + data.rows
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(str(cell), keep_numbers=True) for cell in heading])
    for row in rows:
        writer.writerow([spreadsheet_safe(cell, keep_numbers=True) for cell in _row_cells(data, row)])
    return buffer.getvalue()
