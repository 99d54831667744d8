"""Altair charts of counts over time: the builders pages call, kept out of the pages themselves.

Colours: ColorBrewer Dark2 for the three models and a blue/orange pair for law-vs-practice series,
both told apart under common colour-vision deficiencies.
"""

from __future__ import annotations

from typing import Literal

import altair as alt
import pandas as pd

from mapcore.core.i18n import DEFAULT_LANGUAGE, N_, _, babel_locale, current_language, format_day, ngettext
from mapcore.core.schema import MODELS
from mapcore.core.schema import model_label as schema_model_label

MODEL_COLORS: tuple[str, ...] = ("#1b9e77", "#d95f02", "#7570b3")  # ColorBrewer Dark2
SERIES_LABELS: dict[str, str] = {"agreements": N_("All listed"), "covered": N_("Within the law's scope")}  # msgids
SERIES_COLORS: tuple[str, ...] = ("#253494", "#d95f02")  # dark blue and orange, solid vs dashed too
GAP_COLOR = "#9e9e9e"  # grey bands: no sheet in our record


def vega_locale(lang: str | None = None) -> dict | None:
    """The chart's number and time locale (d3 format) for the reader's language, from Babel's CLDR data: month
    and day names on the axes, decimal and thousands separators (None for English, Vega's own)."""
    from babel.dates import get_day_names, get_month_names
    from babel.numbers import get_decimal_symbol, get_group_symbol

    lang = lang or current_language()
    if lang == DEFAULT_LANGUAGE:
        return None
    loc = babel_locale(lang)
    days = [get_day_names("wide", locale=loc)[i] for i in (6, 0, 1, 2, 3, 4, 5)]  # d3 starts on Sunday
    short_days = [get_day_names("abbreviated", locale=loc)[i] for i in (6, 0, 1, 2, 3, 4, 5)]
    return {
        "number": {"decimal": get_decimal_symbol(loc), "thousands": get_group_symbol(loc), "grouping": [3], "currency": ["", ""]},
        "time": {
            "dateTime": "%x, %X",
            "date": "%d/%m/%Y",
            "time": "%H:%M:%S",
            "periods": ["AM", "PM"],
            "days": days,
            "shortDays": short_days,
            "months": [get_month_names("wide", locale=loc)[i] for i in range(1, 13)],
            "shortMonths": [get_month_names("abbreviated", locale=loc)[i].rstrip(".") for i in range(1, 13)],
        },
    }


def localised(chart):
    """``chart`` with the reader's number and time locale (:func:`vega_locale`); unchanged in English."""
    locale = vega_locale()
    return chart if locale is None else chart.configure(locale=locale)


def model_label(model: str) -> str:
    """'TFM · Task Force' for a legend, in the reader's language (:func:`mapcore.core.schema.model_label`)."""
    return schema_model_label(model)


def model_chart(
    frame: pd.DataFrame,
    x: str,
    x_title: str,
    mark: str = "line",
    y_title: str | None = None,
    height: int = 300,
    gaps: pd.DataFrame | None = None,
) -> alt.LayerChart | alt.FacetChart:
    """Per-model counts over time from a wide frame (an ``x`` date column plus one column per model),
    drawn as steps (a count holds until the next sheet, never a line invented between two):
    ``mark="area"`` stacks the models, ``"line"`` draws one step line per model. ``gaps``
    (:func:`mapcore.analysis.history.publication_gaps`: start, end, days) are shaded grey: no sheet in
    our record there. The legend lists every model whole (one per line) and counts carry thousands
    separators."""
    y_title = _("Agreements") if y_title is None else y_title
    long = frame.melt(id_vars=[x], value_vars=list(MODELS), var_name="model", value_name="agreements")
    long["order"] = long["model"].map({m: i for i, m in enumerate(MODELS)})
    long["model"] = long["model"].map(model_label)
    color = alt.Color(
        "model:N",
        title=_("Model"),
        sort=[model_label(m) for m in MODELS],
        scale=alt.Scale(range=list(MODEL_COLORS)),
        legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=0, symbolLimit=0),
    )
    base = alt.Chart(long).encode(
        x=alt.X(f"{x}:T", title=x_title, axis=alt.Axis(format="%b %Y", labelAngle=0)),
        color=color,
        tooltip=[
            alt.Tooltip(f"{x}:T", title=x_title, format="%Y-%m-%d"),
            alt.Tooltip("model:N", title=_("Model")),
            alt.Tooltip("agreements:Q", title=y_title, format=",d"),
        ],
    )
    chart = base.mark_area(opacity=0.85, interpolate="step-after") if mark == "area" else base.mark_line(interpolate="step-after")
    stack: Literal["zero"] | None = "zero" if mark == "area" else None
    chart = chart.encode(
        y=alt.Y("agreements:Q", title=y_title, stack=stack, scale=alt.Scale(domainMin=0), axis=alt.Axis(format=",d", tickMinStep=1)),
        order=alt.Order("order:Q"),
    )
    layers: list[alt.Chart] = []
    if gaps is not None and len(gaps):
        shown = gaps.assign(
            label=[
                ngettext(
                    "No ICE sheet in our record from {start} to {end} ({n} day)",
                    "No ICE sheet in our record from {start} to {end} ({n} days)",
                    int(d),
                ).format(start=format_day(a), end=format_day(b), n=d)
                for a, b, d in zip(gaps["start"], gaps["end"], gaps["days"])
            ]
        )
        layers.append(
            alt.Chart(shown)
            .mark_rect(color=GAP_COLOR, opacity=0.35)
            .encode(x="start:T", x2="end:T", tooltip=alt.Tooltip("label:N", title=_("Gap")))
        )
    return localised(alt.layer(*layers, chart).properties(height=height))


def law_timeline_chart(series: pd.DataFrame, windows: pd.DataFrame, names: dict[str, str], columns: int = 3) -> alt.ConcatChart:
    """One small step chart per state: agreements listed per ICE sheet (all, and those the law's scope
    reaches), the law's day (to its deadline) or year shaded when it falls in the sheets' range (``windows`` from
    :func:`mapcore.analysis.compliance.law_windows`), ``columns`` charts a row (one on a phone: the charts and
    their legend, one entry a line, then fit the screen)."""
    long = series.melt(id_vars=["state", "publication_date"], value_vars=list(SERIES_LABELS), var_name="series", value_name="count")
    long["series"] = long["series"].map(lambda s: _(SERIES_LABELS[s]))
    domain = [_(label) for label in SERIES_LABELS.values()]
    color = alt.Color(
        "series:N",
        title=None,
        sort=domain,
        scale=alt.Scale(domain=domain, range=list(SERIES_COLORS)),
        legend=alt.Legend(orient="top", direction="horizontal" if columns > 1 else "vertical", labelLimit=0),
    )
    dash = alt.StrokeDash("series:N", sort=domain, legend=None, scale=alt.Scale(domain=domain, range=[[1, 0], [5, 3]]))
    charts = []
    for state in series.groupby("state")["agreements"].max().sort_values(ascending=False).index:
        window = windows[windows["state"] == state]
        basis = window["law_date_basis"].iloc[0] if len(window) else None
        when = ""
        if basis == "effective date":
            when = " " + _("(law of {date})").format(date=format_day(window["law_start"].iloc[0]))
        elif basis:
            when = " " + _("(law of {year}, day not known)").format(year=f"{window['law_start'].iloc[0]:%Y}")
        line = (
            alt.Chart(long[long["state"] == state])
            .mark_line(interpolate="step-after")
            .encode(
                x=alt.X("publication_date:T", title=None, axis=alt.Axis(format="%b %y", labelAngle=0, tickCount=4)),
                y=alt.Y("count:Q", title=_("Agreements"), scale=alt.Scale(domainMin=0), axis=alt.Axis(tickMinStep=1)),
                color=color,
                strokeDash=dash,
                tooltip=[
                    alt.Tooltip("publication_date:T", title=_("ICE sheet"), format="%Y-%m-%d"),
                    alt.Tooltip("series:N", title=_("Agreements")),
                    alt.Tooltip("count:Q", title=_("Count")),
                ],
            )
        )
        layers: list[alt.Chart] = [line]
        if len(window) and window["where"].iloc[0] == "inside":
            shade = alt.Chart(window).mark_rect(opacity=0.18, color="#7f7f7f").encode(x="shown_start:T", x2="shown_end:T")
            edge = alt.Chart(window).mark_rule(color="#444", strokeDash=[2, 2]).encode(x="shown_start:T")
            layers = [shade, edge, line]
        charts.append(alt.layer(*layers).properties(title=f"{names.get(state, state)}{when}", width=215, height=130))
    return localised(alt.concat(*charts, columns=max(1, columns)))
