"""What pages show, as pure functions: the user-facing table, filter options, headline figures.

Pages stay thin: they lay out widgets and call these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from mapcore.analysis import query
from mapcore.analysis.law_on_day import LAW_CLASSES
from mapcore.analysis.pending import split_pending
from mapcore.analysis.query import agency_count, agency_names, model_counts, state_counts
from mapcore.core.columns import AGREEMENT_COLUMNS
from mapcore.core.frames import blank_missing
from mapcore.core.i18n import _, format_number, ngettext
from mapcore.core.schema import LEVEL_REGIONAL, LEVEL_STATEWIDE, MODEL_NAMES, MODELS, model_label
from mapcore.render import map_catalog
from mapcore.words import law as law_words
from mapcore.words.places import state_name, type_label

if TYPE_CHECKING:
    from mapcore.app.data import AppData


def column(name: str) -> str:
    """The displayed label of a machine column of :data:`AGREEMENT_COLUMNS`, in the reader's language."""
    return _(AGREEMENT_COLUMNS[name])


def link_columns(st_config: Any) -> dict:
    """The column_config of :func:`display_table`: the agency pinned (it stays in view while a phone scrolls
    sideways), the MOA, Addendum and Signed columns (``st_config``: ``st.column_config``; this module imports
    no streamlit)."""
    return {
        column("agency"): st_config.Column(column("agency"), pinned=True, width="medium"),
        column("model"): st_config.Column(column("model"), width="small"),
        column("moa_url"): st_config.LinkColumn(column("moa_url"), display_text=_("Open MOA")),
        column("addendum_url"): st_config.LinkColumn(column("addendum_url"), display_text=_("Open addendum")),
        column("signed"): st_config.DateColumn(column("signed"), format="YYYY-MM-DD"),
    }


def shown_cells(frame: pd.DataFrame, keep: tuple[str, ...] = ()) -> pd.DataFrame:
    """A display copy of a table's cells in the reader's language: ICE's jurisdiction types (County,
    Municipality, State) in words, and an empty cell where a value is missing (Streamlit would print "None"),
    but in the columns ``keep`` names (left as they are). Downloads keep the table as it is."""
    out = frame.copy()
    if "jurisdiction_type" in out:
        out["jurisdiction_type"] = out["jurisdiction_type"].astype("object").map(lambda v: type_label(v) if isinstance(v, str) else v)
    return blank_missing(out, keep=keep)


def column_config(
    st_config: Any, labels: dict[str, str], dates: tuple[str, ...] = (), links: dict[str, str] | None = None, date_format: str | None = None
) -> dict:
    """A table's ``column_config`` (``st_config``: ``st.column_config``; this module imports no streamlit): each
    column's header as ``labels`` give it (already in the reader's language), a date column for each of ``dates``,
    a link for each of ``links`` (column -> the link's text)."""
    config: dict[str, Any] = dict(labels)
    for name in dates:
        config[name] = st_config.DateColumn(labels.get(name, name), format=date_format)
    for name, text in (links or {}).items():
        config[name] = st_config.LinkColumn(labels.get(name, name), display_text=text)
    return config


def shown_columns(chosen: list[str] | tuple[str, ...]) -> list[str]:
    """The displayed labels of the agreement table's columns to show, in the table's order: the first columns
    (:data:`mapcore.core.columns.FIRST_COLUMNS`' agency, model, county, signed) always, then those ``chosen``
    (machine names)."""
    wanted = {"agency", "model", "county_name", "signed", *chosen}
    return [column(name) for name in AGREEMENT_COLUMNS if name in wanted]


def english_table_config(st_config: Any, frame: pd.DataFrame, dates: tuple[str, ...] = (), source: bool = False) -> dict:
    """The ``column_config`` of a table kept in English for its download: its headers in the reader's language, its
    dates as days and its ``Source`` column as a link."""
    from mapcore.words.compliance import headers

    dates = tuple(d for d in dates if d in frame and not frame[d].isna().any())  # with a missing day: shown as text
    return column_config(st_config, headers(frame), dates, {"Source": _("Open source")} if source else None, "YYYY-MM-DD")


def agency_table_config(st_config: Any, pending: bool = False) -> dict:
    """The ``column_config`` of the Agency page's tables (``st_config``: ``st.column_config``): its agreements, or
    with ``pending`` its applications ("Still pending", and the day one signed since was first listed as
    participating)."""
    config = {
        "model": _("Model"),
        "signed": st_config.DateColumn(_("Signed"), format="YYYY-MM-DD"),
        "moa_url": st_config.LinkColumn(_("MOA"), display_text=_("Open MOA")),
        "addendum_url": st_config.LinkColumn(_("Addendum"), display_text=_("Open addendum")),
        "first_seen": st_config.DateColumn(_("First listed"), format="YYYY-MM-DD"),
        "last_seen": st_config.DateColumn(_("Last listed"), format="YYYY-MM-DD"),
        "publications": st_config.NumberColumn(_("Sheets listing it")),
        "active": st_config.CheckboxColumn(_("In newest sheet")),
    }
    if pending:
        config["active"] = st_config.CheckboxColumn(_("Still pending"))
        config["signed_since"] = st_config.DateColumn(_("Signed since: listed as participating from"), format="YYYY-MM-DD")
    return config


def display_facts(frame: pd.DataFrame) -> pd.DataFrame:
    """What :func:`display_table` shows of ``frame`` before any word: its columns, ICE's values as objects,
    sorted by state, agency and model (stably). Facts only: kept once per publication by
    :func:`display_rows`, whose subsets are then already in the table's order."""
    out = frame.reindex(columns=list(AGREEMENT_COLUMNS))  # a new frame (its law_status is made when shown)
    out = out.astype({c: "object" for c in ("state", "ori", "jurisdiction_type", "county_name", "model")})
    return out.sort_values(["state", "agency", "model"], kind="stable")


def _facts_of(frame: pd.DataFrame, facts: pd.DataFrame | None) -> pd.DataFrame | None:
    """The rows of ``facts`` (:func:`display_facts` of a table) that ``frame`` holds, in the table's order, when
    ``frame`` is some of that table's rows (each once); None otherwise."""
    if facts is None or not frame.index.is_unique:
        return None
    held = facts.index.isin(frame.index)
    return facts[held] if int(held.sum()) == len(frame) else None


def display_table(frame: pd.DataFrame, extra: dict[str, str] | None = None, facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """The agreements as users read them: named columns, statewide agencies marked, sorted, cells in the
    reader's language (:func:`shown_cells`). ``extra``: more columns of ``frame`` to show after them (dates as
    days), machine name -> label in the reader's language. ``facts``: :func:`display_facts` of a table ``frame``
    is some rows of (unchanged), when the caller keeps it: the same table, its facts taken, not made again."""
    statewide = frame["level"].astype("object").eq(LEVEL_STATEWIDE) if "level" in frame else None
    regional = frame["level"].astype("object").eq(LEVEL_REGIONAL) & frame["region_counties"].notna() if "region_counties" in frame else None
    out = _facts_of(frame, facts)
    kept = out is not None
    if out is None:
        out = frame.reindex(columns=list(AGREEMENT_COLUMNS))  # a new frame (its law_status is made below)
        out = out.astype({c: "object" for c in ("state", "ori", "jurisdiction_type", "county_name", "model")})
    else:  # the masks in the table's order
        statewide = statewide.reindex(out.index) if statewide is not None else None
        regional = regional.reindex(out.index) if regional is not None else None
    if statewide is None:
        out.loc[False, "county_name"] = _("(statewide)")  # (a frame with no level, as before)
    elif statewide.any():  # (setting no row is a no-op: skipped)
        out.loc[statewide.to_numpy(), "county_name"] = _("(statewide)")
    if regional is not None and regional.any():
        chosen = regional.to_numpy()
        regions = frame["region_counties"].reindex(out.index)[chosen] if kept else frame.loc[chosen, "region_counties"]
        out.loc[chosen, "county_name"] = _("(regional)") + " " + regions.astype(str)
    out["law_status"] = law_words.law_cells(frame)
    more = {
        label: pd.to_datetime(frame[column]).dt.date if pd.api.types.is_datetime64_any_dtype(frame[column]) else frame[column]
        for column, label in (extra or {}).items()
    }
    out["signed"] = pd.to_datetime(out["signed"]).dt.date  # (its type follows the rows shown: made each time)
    if not kept:
        out = out.sort_values(["state", "agency", "model"], kind="stable")
    out = shown_cells(out, keep=("signed",))  # a missing day stays missing (a date column)
    out = out.rename(columns={k: _(v) for k, v in AGREEMENT_COLUMNS.items()})
    return out.assign(**{label: values.reindex(out.index) for label, values in more.items()}).reset_index(drop=True)


def display_rows(data: AppData, publication_id: str | None, rows: pd.DataFrame) -> pd.DataFrame:
    """:func:`display_table` of ``rows``, some rows of ``data.publication(publication_id)`` as filtered
    (unchanged), its facts (:func:`display_facts`) taken from the publication's, made once per dataset."""
    facts = data.remember(("display_facts", publication_id), lambda: display_facts(data.publication(publication_id)))
    return display_table(rows, facts=facts)


def csv_download(data: AppData, publication_id: str | None, rows: pd.DataFrame) -> bytes:
    """The CSV download of ``rows``, some rows of ``data.publication(publication_id)`` as filtered (unchanged):
    the same bytes as :func:`mapcore.render.export.to_csv_bytes` of them, joined from the publication's lines,
    cut once per dataset (:func:`mapcore.render.export.csv_lines`; machine names and ICE's values, no words)."""
    from mapcore.render import export

    lines = data.remember(("csv_lines", publication_id), lambda: export.csv_lines(data.publication(publication_id)))
    return export.subset_csv_bytes(lines, rows)


def table_height(rows: int, limit: int = 420) -> int:
    """Pixel height that fits a short table exactly and caps a long one (then it scrolls)."""
    return min(limit, 38 + 35 * max(rows, 1))


def model_options() -> dict[str, str]:
    """Each model's code and short form in the reader's language ('JEM · Cárcel'), as every chart, metric
    and filter names it (the full name: :func:`mapcore.core.schema.model_name`, for help texts)."""
    return {code: model_label(code) for code in MODEL_NAMES}


def law_options() -> dict[str, str]:
    """Each law class the Explore filter offers (the statuses, a mandate on a state official apart), with its
    label in the reader's language."""
    return {code: law_words.class_label(code) for code in LAW_CLASSES}


def type_options(frame: pd.DataFrame) -> list[str]:
    types = frame["jurisdiction_type"]
    present = {str(t) for t in types.dropna().unique()} | ({"Unknown"} if types.isna().any() else set())
    return [t for t in ("County", "Municipality", "State", "Unknown") if t in present]


def state_options(frame: pd.DataFrame) -> list[str]:
    return sorted(str(s) for s in frame["state"].dropna().unique())


def dataset_states(data: AppData) -> list[str]:
    """Every state of every sheet of a dataset (the State filter's choices), once per dataset."""
    return data.remember("state_options", lambda: state_options(data.agreements))


def dataset_types(data: AppData) -> list[str]:
    """Every jurisdiction type of every sheet of a dataset (the filter's choices), once per dataset."""
    return data.remember("type_options", lambda: type_options(data.agreements))


def publication_days(data: AppData, kind: str) -> tuple[str, ...]:
    """Each publication of a kind as its day ('2026-04-30'), oldest first, once per dataset."""
    return data.remember(
        ("publication_days", kind), lambda: tuple(d.date().isoformat() for d in data.publications(kind)["publication_date"])
    )


def publication_labels(data: AppData, kind: str) -> tuple[str, ...]:
    """Each publication of a kind as the publication filter names it ('2026-04-30 · participatingAgencies….xlsx'),
    oldest first, once per dataset (a day and ICE's file name: no words)."""
    from mapcore.core.schema import sheet_file_name

    return data.remember(
        ("publication_labels", kind),
        lambda: tuple(
            f"{day} · {sheet_file_name(pid)}" for day, pid in zip(publication_days(data, kind), data.publications(kind)["publication_id"])
        ),
    )


def missing_states(data: AppData, publication_id: str | None, states: list[str] | tuple[str, ...]) -> list[str]:
    """The chosen ``states`` with no row in a publication (its states worked out once per dataset)."""
    present = data.remember(
        ("states_in", publication_id), lambda: frozenset(data.publication(publication_id)["state"].astype("object").dropna())
    )
    return [s for s in states if s not in present]


def headline(frame: pd.DataFrame) -> dict:
    """Agreements, per model, states (the 50 and DC) and territories apart, and agencies of a set of rows."""
    return {
        "agreements": int(len(frame)),
        **model_counts(frame),
        **state_counts(frame),
        "agencies": agency_count(frame),
        "statewide": int((frame["level"].astype("object") == LEVEL_STATEWIDE).sum()),
    }


def states_metric(figures: dict) -> tuple[str, str, str]:
    """(label, value, help) of the "states" figure: the 50 states and DC, territories counted apart
    ("States + territories", "39 + 2") so a territory is never counted as a state."""
    states, territories = int(figures["states"]), int(figures.get("territories", 0))
    if not territories:
        return (
            _("States"),
            format_number(states),
            ngettext(
                "Of the 50 states and DC, {n} has agreements here.", "Of the 50 states and DC, {n} have agreements here.", states
            ).format(n=format_number(states)),
        )
    names = ", ".join(state_name(code) for code in figures.get("territory_codes", ()))
    return (
        _("States + territories"),
        f"{format_number(states)} + {format_number(territories)}",
        ngettext(
            "{n} of the 50 states and DC, plus {t} territory ({names}), counted apart.",
            "{n} of the 50 states and DC, plus {t} territories ({names}), counted apart.",
            territories,
        ).format(n=format_number(states), t=format_number(territories), names=names),
    )


def statewide_facts(frame: pd.DataFrame) -> tuple[int, list[tuple[str, str]]]:
    """The statewide agencies among ``frame``: (their rows, sorted (state, agency) pairs); facts, no words."""
    rows = query.level_rows(frame, LEVEL_STATEWIDE)
    if rows.empty:
        return 0, []
    pairs = dict.fromkeys(zip(rows["state"].astype("object"), agency_names(rows)))  # first of each, in row order
    return len(rows), sorted(pairs, key=_by_state_then_name)


def _by_state_then_name(item: tuple) -> tuple:
    """Sort key of (state, agency, ...) tuples as a frame sort by state, then agency, puts them (missing last)."""
    state, agency = item[0], item[1]
    return (pd.isna(state), "" if pd.isna(state) else str(state), pd.isna(agency), "" if pd.isna(agency) else str(agency))


def statewide_note(frame: pd.DataFrame, noun: str = "agreement", facts: tuple | None = None) -> tuple[str, list[str]]:
    """A sentence saying statewide agencies are shown at state level, and their names ('' when none).
    ``facts``: :func:`statewide_facts` of ``frame``, when the caller keeps them."""
    count, agencies = facts if facts is not None else statewide_facts(frame)
    if not count:
        return "", []
    names = [f"{a} ({s})" for s, a in agencies]
    sentence = (
        _counted(noun, count)
        + " "
        + ngettext(
            "of {n} statewide agency (state police, corrections, national guard, ...) shown at state level as black "
            "diamonds, not spread over counties.",
            "of {n} statewide agencies (state police, corrections, national guard, ...) shown at state level as black "
            "diamonds, not spread over counties.",
            len(agencies),
        ).format(n=format_number(len(agencies)))
    )
    return sentence, names


def _counted(noun: str, n: int) -> str:
    """'3 agreements' / '1 pending application', in the reader's language (``noun``: the English singular)."""
    if noun == "pending application":
        text = ngettext("{n} pending application", "{n} pending applications", n)
    else:
        text = ngettext("{n} agreement", "{n} agreements", n)
    return text.format(n=format_number(n))


def no_data_message(source: str, error: object) -> tuple[str, str]:
    """What a user reads when no dataset could be loaded: what happened, where ICE's sheets come from,
    the exact command to run, and that reloading the page picks the sheets up (markdown), with its
    level: 'info' when there is simply no sheet yet, 'error' when sheets are there but broken."""
    from pathlib import Path

    from mapcore.core import config

    detail = " ".join(str(error).split())[:300]
    level = "info"
    if config.is_url(source):
        happened = _("ICE's sheets could not be downloaded from {source}, and none were downloaded before (the error: {error}).").format(
            source=source, error=detail
        )
        command = ".venv/bin/mapcore build"  # i18n: data
        then = _(
            "This downloads ICE's current sheets and reads them. Without network access, point the app at a "
            "folder of sheets instead: `MAPCORE_SOURCE=/path/to/sheets make run`."
        )
    else:
        folder = Path(source).expanduser()
        if not folder.is_dir():
            happened = _("The folder `{source}` (set in `MAPCORE_SOURCE`) does not exist.").format(source=source)
        elif not any(folder.rglob("*.xlsx")):
            happened = _("The folder `{source}` (set in `MAPCORE_SOURCE`) holds no ICE sheet (no `.xlsx` file).").format(source=source)
        else:
            level = "error"
            happened = _("The sheets in `{source}` could not be read: {error}.").format(source=source, error=detail)
        command = f".venv/bin/mapcore fetch --into {folder}"  # i18n: data
        then = _("This downloads ICE's current sheets into that folder; you can also copy `.xlsx` sheets you already have into it.")
    return level, (
        "**"
        + _("No 287(g) data yet.")
        + f"** {happened}\n\n"
        + _(
            "The data comes from ICE's 287(g) page (https://www.ice.gov/identify-and-arrest/287g), which "
            "publishes two Excel sheets: the participating agencies and the pending applications."
        )
        + "\n\n"
        + _("To load them, run this in the app's folder:")
        + f"\n\n```\n{command}\n```\n\n{then} "
        + _("Then reload this page: the app reads the new sheets (the first time takes a few minutes).")
    )


def regional_facts(frame: pd.DataFrame) -> tuple[int, list[tuple[str, str, str | None]], int]:
    """The regional bodies among ``frame``: (their rows, sorted (state, agency, counties or None) triples,
    rows with no county confirmed); facts, no words."""
    rows = query.level_rows(frame, LEVEL_REGIONAL) if "level" in frame else frame.iloc[0:0]
    if rows.empty:
        return 0, [], 0
    regions = rows["region_counties"].astype("object") if "region_counties" in rows else pd.Series(None, index=rows.index)
    agencies = pd.DataFrame(
        {"state": rows["state"].astype("object"), "agency": agency_names(rows), "counties": regions.where(regions.notna(), None).to_numpy()}
    )
    agencies = agencies.drop_duplicates(["state", "agency"]).sort_values(["state", "agency"])
    return len(rows), list(zip(agencies["state"], agencies["agency"], agencies["counties"])), int(regions.isna().sum())


def regional_note(frame: pd.DataFrame, noun: str = "agreement", facts: tuple | None = None) -> tuple[str, list[str]]:
    """A sentence saying regional bodies are shown on each county they serve, and their names with
    their counties ('' when none). ``facts``: :func:`regional_facts` of ``frame``, when the caller keeps them."""
    count, agencies, unknown = facts if facts is not None else regional_facts(frame)
    if not count:
        return "", []
    not_known = _("counties not known")
    names = [f"{a} ({s}): {c if isinstance(c, str) else not_known}" for s, a, c in agencies]
    known = count - unknown
    parts = []
    if known:
        parts.append(
            ngettext("{n} is named on each county served", "{n} are named on each county served", known).format(n=format_number(known))
        )
    if unknown:
        parts.append(
            ngettext(
                "{n} has no county we could confirm (listed on the Methodology page)",
                "{n} have no county we could confirm (listed on the Methodology page)",
                unknown,
            ).format(n=format_number(unknown))
        )
    sentence = (
        _counted(noun, count)
        + " "
        + ngettext(
            "of {n} regional body (judicial circuits, regional jails, multi-county task forces): {parts}. None is counted "
            "in one county or spread over the state.",
            "of {n} regional bodies (judicial circuits, regional jails, multi-county task forces): {parts}. None is counted "
            "in one county or spread over the state.",
            len(agencies),
        ).format(n=format_number(len(agencies)), parts="; ".join(parts))
    )
    return sentence, names


# The maps a page can show: (key, label, county or state level).
MAP_VIEWS: dict[str, tuple[str, str]] = map_catalog.MAP_VIEWS


def map_labels() -> dict[str, str]:
    """Each map of :data:`MAP_VIEWS` by its label in the reader's language (a widget's format_func: computed
    once per run, so the labels do not depend on the thread that formats them)."""
    return {key: _(label) for key, (label, _level) in MAP_VIEWS.items()}


def map_for(
    view: str,
    rows: pd.DataFrame,
    data: AppData,
    show_law: bool = False,
    only_states: tuple[str, ...] = (),
    laws: pd.DataFrame | None = None,
    empty_note: str | None = None,
    rows_key: object = None,
) -> Any:
    """The map of one of :data:`MAP_VIEWS` for a set of agreements (:func:`mapcore.render.map_catalog.map_of`).
    ``laws``: the law table to draw, normally the law in force on the shown sheet's date
    (``data.laws_on``); the current table if None. ``rows_key`` names rows that are a fact of the dataset
    (e.g. a publication id: ``rows`` is ``data.publication(rows_key)``): the map's values are then computed
    once per dataset, and only its words on each run."""

    def compute() -> map_catalog.MapValues:
        return map_catalog.map_values(view, rows, population=data.population, roster=data.roster)

    values = compute() if rows_key is None else data.remember(("map_values", view, rows_key), compute)
    return map_catalog.map_from_values(
        values,
        data.laws if laws is None else laws,
        show_law,
        only_states,
        _("No 287(g) agreement in this view.") if empty_note is None else empty_note,
    )


__all__ = [
    "regional_note",
    "no_data_message",
    "display_table",
    "shown_cells",
    "type_label",
    "headline",
    "states_metric",
    "model_options",
    "law_options",
    "type_options",
    "state_options",
    "statewide_note",
    "MODELS",
    "MAP_VIEWS",
    "map_for",
]


def pending_view(
    data: AppData, history: pd.DataFrame, states: list[str], publication_id: str | None
) -> tuple[pd.DataFrame, str | None, pd.DataFrame]:
    """The Timeline's pending applications in the chosen states: every application's history (``history``:
    :func:`mapcore.analysis.history.pending_history`), the pending sheet in force on a publication's date and its rows
    still pending then (those a participating sheet up to that publication lists are signed: not drawn as pending)."""
    pending_id = query.latest_publication_id(data.sheets, "pending", on_or_before=data.publication_date(publication_id))
    rows = query.publication_rows(data.agreements, pending_id)
    if states:
        history = history[history["state"].isin(states)]
        rows = rows[rows["state"].isin(states)]
    still, _signed = split_pending(rows, data.agreements, data.sheets, publication_id)
    return history, pending_id, still
