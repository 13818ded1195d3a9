"""Accessible horizontal bar charts drawn on the server as inline SVG: no JavaScript, no inline styles (the
Content-Security-Policy allows only our stylesheet), labels and values written in the chart, and a hidden
group's words instead of its bar. Colours come from classes in static/css/portal.css."""

from markupsafe import Markup

from portal.insight.figures import COUNT, PERCENT, FigureData, Row, shown_value

WIDTH = 640
BAR_AREA = 500  # the rest of the width holds the value written after the bar
ROW_HEIGHT = 44
LABEL_OFFSET = 15  # baseline of the label above its bar
BAR_TOP = 21
BAR_HEIGHT = 16
TOP = 8


def _value_text(data: FigureData, row: Row) -> str:
    value = row.values[0]
    if value.suppressed:
        return value.reason
    return shown_value(value.value, data.unit)


def _domain(data: FigureData, rows: list[Row]) -> tuple[float, float]:
    values = [r.values[0].value for r in rows if not r.values[0].suppressed and r.values[0].value is not None]
    if data.unit == PERCENT:
        return 0.0, 100.0
    low = min([0.0, *values])
    high = max([0.0, *values])
    if high == low:
        high = low + 1
    return low, high


def bar_chart(data: FigureData, chart_id: str) -> Markup:
    """The figure's first value column as a horizontal bar chart, the overall figure first."""
    rows = ([data.overall] if data.overall is not None else []) + data.rows
    low, high = _domain(data, rows)

    def x(value: float) -> float:
        return round((value - low) / (high - low) * BAR_AREA, 1)

    height = TOP * 2 + ROW_HEIGHT * max(len(rows), 1)
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    summary = "; ".join(f"{row.label}: {_value_text(data, row)}" for row in rows) or "No data."
    parts = [
        Markup('<svg class="app-chart" id="{}" role="img" aria-labelledby="{} {}" viewBox="0 0 {} {}" width="100%" '
               'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">').format(
            chart_id, title_id, desc_id, WIDTH, height),
        Markup('<title id="{}">{}</title>').format(title_id, data.figure.title),
        Markup('<desc id="{}">{}. {}.</desc>').format(desc_id, data.columns[0].heading, summary),
    ]
    zero = x(0.0)
    overall = data.overall.values[0] if data.overall is not None else None
    for index, row in enumerate(rows):
        top = TOP + index * ROW_HEIGHT
        is_overall = data.overall is not None and index == 0
        label_class = "app-chart__label app-chart__label--overall" if is_overall else "app-chart__label"
        parts.append(Markup('<text class="{}" x="0" y="{}">{}</text>').format(label_class, top + LABEL_OFFSET,
                                                                               row.label))
        value = row.values[0]
        if value.suppressed or value.value is None:
            parts.append(Markup('<text class="app-chart__hidden" x="0" y="{}">{}</text>').format(
                top + BAR_TOP + 12, _value_text(data, row)))
            continue
        end = x(value.value)
        left, width = min(zero, end), max(abs(end - zero), 1.0)
        bar_class = "app-chart__bar app-chart__bar--overall" if is_overall else "app-chart__bar"
        parts.append(Markup('<rect class="{}" x="{}" y="{}" width="{}" height="{}"/>').format(
            bar_class, left, top + BAR_TOP, width, BAR_HEIGHT))
        parts.append(Markup('<text class="app-chart__value" x="{}" y="{}">{}</text>').format(
            round(max(zero, end) + 6, 1), top + BAR_TOP + 12, _value_text(data, row)))
    if low < 0:
        parts.append(Markup('<line class="app-chart__axis" x1="{}" y1="{}" x2="{}" y2="{}"/>').format(
            zero, TOP, zero, height - TOP))
    if overall is not None and not overall.suppressed and overall.value is not None and data.unit != COUNT \
            and len(rows) > 1:
        at = x(overall.value)
        parts.append(Markup('<line class="app-chart__overall" x1="{}" y1="{}" x2="{}" y2="{}"/>').format(
            at, TOP + ROW_HEIGHT, at, height - TOP))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
