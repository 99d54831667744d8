"""The pages of the static edition (Home, a state, an agency), rendered from the edition's facts in the
language in force (:func:`mapcore.core.i18n.using_language`).

Templates are Jinja2 with autoescape on (``templates/``): every value a page receives is plain text
and is escaped where it lands, so an agency name from ICE's sheets (hostile input) is shown as typed
and never becomes markup. The words are made here with the app's catalog (``_``, ``ngettext``), so
the pages and the app say the same things in the same two languages. Every figure names its sheet and
its date.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from mapcore.analysis import compliance
from mapcore.analysis import state_profile as sp
from mapcore.analysis.law_on_day import laws_in_force
from mapcore.core.i18n import LANGUAGES, _, curated, format_day, format_number, ngettext
from mapcore.core.schema import MODELS, model_name
from mapcore.core.text import is_missing, safe_url
from mapcore.render.caption import PROJECT_NAME
from mapcore.render.site import layout
from mapcore.render.site.facts import CHANGES_ON_STATE_PAGE, AgencyFacts, Change, EditionFacts, Sheet
from mapcore.words import compliance as compliance_words
from mapcore.words import law as law_words
from mapcore.words.context import SOURCE_NOTE, headline
from mapcore.words.places import state_name

TEMPLATES = Path(__file__).resolve().parent / "templates"


@functools.cache
def environment() -> jinja2.Environment:
    """Jinja2 with autoescape on for every template, and undefined names an error (never a blank)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(template: str, place: layout.Place, title: str, base_url: str | None, feeds: list[dict], **values: Any) -> str:
    other = layout.other_languages(place.lang)[0]
    canonical = values.pop("canonical", None) or place.url(base_url)
    page = {
        "lang": place.lang,
        "title": title,
        "root": place.root,
        "lang_root": place.lang_root,
        "css": layout.CSS,
        "canonical": canonical,
        "alternates": [{"lang": code, "href": place.url(base_url, code)} for code in LANGUAGES],
        "other_lang": other,
        "other_name": LANGUAGES[other],
        "other_href": place.link(place.path, other),
        "feeds": feeds,
        "refresh": values.pop("refresh", None),
        "footer": _(
            "Data: ICE's published 287(g) sheets; state law: our table of state laws (dates, sources and "
            "confidence on each state's page). Agency names are printed as ICE wrote them."
        ),
    }
    return environment().get_template(template).render(page=page, w=words(), **values)


def words() -> dict[str, str]:
    """The short labels every page shares, in the language in force."""
    return {
        "project": _(PROJECT_NAME),
        "home": _("Home"),
        "states": _("States"),
        "feed": _("Feed (Atom)"),
        "open_map": _("Open the map on its own page (to embed it on another site)"),
        "moa": _("MOA"),
        "addendum": _("Addendum"),
        "downloads": _("Downloads"),
        "models": models_legend(),
        "static_note": _(
            "A static edition: plain files, no server code. Links inside it are relative, so it can be copied to any web host."
        ),
    }


# ------------------------------------------------------------------------------------------------
# Shared pieces


def cite(sheet: Sheet) -> str:
    """'Source: ICE's participating agencies sheet participatingAgencies04302026am.xlsx of 2026-04-30.'"""
    if sheet.kind == "pending":
        return _("Source: ICE's pending applications sheet {file} of {date}.").format(file=sheet.file, date=format_day(sheet.date))
    return _("Source: ICE's participating agencies sheet {file} of {date}.").format(file=sheet.file, date=format_day(sheet.date))


def model_label(model: object) -> str:
    return f"{model} ({model_name(str(model))})" if isinstance(model, str) and model in MODELS else (str(model) if model else "—")


def _code(model: object) -> str:
    return str(model) if isinstance(model, str) and model else "—"


def models_legend() -> str:
    """'JEM: Jail Enforcement Model · WSO: … · TFM: …' under a table that names models by their codes."""
    return " · ".join(f"{code}: {model_name(code)}" for code in MODELS)


def day(value: object) -> str:
    return "—" if is_missing(value) or value == "" else format_day(pd.Timestamp(value))


def figures(rows: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(label, value, hint) for the figure boxes: agreements, each model, agencies."""
    counts = sp.figures(rows)
    items = [(_("Agreements"), format_number(counts["agreements"]), _("Agreements listed in the sheet"))]
    items += [(model, format_number(counts[model]), model_name(model)) for model in MODELS]
    items.append((_("Agencies"), format_number(counts["agencies"]), _("Distinct agencies with an agreement")))
    return items


def law_marks(law: dict[str, Any]) -> list[str]:
    """The marks a law carries on the day shown, in words, by the one rule (:mod:`mapcore.analysis.law_on_day`): a new
    law not in force that day ("new law, not yet in force", "new law, day of effect not known") and low-confidence
    research ("unconfirmed"), two marks with two words."""
    marks = [law_words.mark_word(law.get("mark"))]
    if law.get("low_confidence") and law.get("mark") != "unconfirmed":
        marks.append(_(law_words.UNCONFIRMED))
    return [m for m in marks if m]


def law_view(laws: pd.DataFrame, state: str, on: dt.date) -> dict[str, Any]:
    """A state's law as the law block shows it: the status in force on ``on`` with its marks, the newest
    law when it differs, summary, dates, source and confidence."""
    law = sp.state_law(laws, state, on=on)
    if law is None:
        return {
            "code": None,
            "heading": _("State law:"),
            "status": _("Not in our table of state laws (it covers the 50 states and DC)."),
            "marks": [],
            "lines": [],
            "facts": [],
            "source_label": _("No source"),
            "source_url": None,
            "confidence": "",
        }
    newest = law_words.status_label(law["status"])
    in_force = law_words.status_label(law.get("status_on")) if "on" in law else newest
    lines = []
    note = law_words.new_law_note(law) if "on" in law else None
    if note:
        lines.append(note[:1].upper() + note[1:] + ".")
    if law.get("status_on") != str(law.get("status")):
        lines.append(_("Newest law in our table: {status}.").format(status=newest))
    if law.get("summary"):
        lines.append(curated(law["summary"]))
    if law.get("scope") in law_words.SCOPE_LABELS:
        lines.append(_("Applies to {scope}.").format(scope=_(law_words.SCOPE_LABELS[law["scope"]])))
    facts = []
    if law.get("laws"):
        facts.append((_("Laws:"), str(law["laws"])))
    if law.get("enacted") and law.get("enacted") != law.get("effective_date"):
        facts.append((_("Became law:"), day(law["enacted"])))
    if law.get("effective_date"):
        facts.append((_("In force from:"), day(law["effective_date"])))
    elif law.get("effective_year"):
        facts.append((_("In force from:"), f"{law['effective_year']} ({_('day of effect not known')})"))
    if law.get("deadline"):
        facts.append((_("Deadline:"), day(law["deadline"])))
    start = law.get("enacted") or law.get("effective_date")
    if law.get("prior_status") and start:
        facts.append((_("Before {date}:").format(date=day(start)), law_words.status_label(law["prior_status"])))
    confidence = law.get("confidence") or "unknown"
    level = _(law_words.CONFIDENCE_LABELS[confidence]) if confidence in law_words.CONFIDENCE_LABELS else _("unknown")
    checked = _("checked {date}").format(date=day(law["checked"])) if law.get("checked") else ""
    return {
        "code": law.get("status_on"),
        "heading": _("In force on {date}:").format(date=day(on)),
        "status": in_force,
        "marks": law_marks(law),
        "lines": lines,
        "facts": facts,
        "source_label": _("Read the source"),
        "source_url": law.get("source_url"),
        "confidence": " · ".join(p for p in (_("Confidence:") + " " + level, checked) if p),
    }


def change_view(change: Change, place: layout.Place, facts: EditionFacts, with_state: bool) -> dict[str, Any]:
    """One publication's changes as a page lists them (agency links, model, signed date)."""

    def items(listings) -> list[dict[str, Any]]:
        out = []
        for row in listings:
            path = facts.agency_path(row.site_agency)
            where = f"{state_name(row.state)} · " if with_state else ""
            out.append(
                {
                    "name": row.agency,
                    "href": place.link(path) if path else None,
                    "detail": where + model_label(row.model) + " · " + _("signed {date}").format(date=day(row.signed)),
                }
            )
        return out

    return {
        "title": _("Sheet of {date}").format(date=format_day(change.sheet.date)),
        "cite": _("{file}, compared with the sheet before it ({previous} of {date}).").format(
            file=change.sheet.file, previous=change.previous.file, date=format_day(change.previous.date)
        ),
        "added_label": ngettext("{n} agreement added", "{n} agreements added", len(change.added)).format(
            n=format_number(len(change.added))
        ),
        "removed_label": ngettext("{n} agreement removed", "{n} agreements removed", len(change.removed)).format(
            n=format_number(len(change.removed))
        ),
        "added": items(change.added),
        "removed": items(change.removed),
    }


def context_lines(facts: EditionFacts, scope: str) -> dict[str, str]:
    figures_ = facts.contexts.get(scope)
    if figures_ is None:
        return {"context": "", "context_source": ""}
    return {"context": headline(figures_), "context_source": _(SOURCE_NOTE) + " " + cite(facts.newest)}


def feed_links(place: layout.Place, scope: str, name: str) -> list[dict[str, str]]:
    feeds = [{"title": _("Changes to ICE's 287(g) list: nation"), "href": place.link(layout.feed("US"))}]
    if scope != "US":
        feeds.append({"title": _("Changes to ICE's 287(g) list: {state}").format(state=name), "href": place.link(layout.feed(scope))})
    return feeds


# ------------------------------------------------------------------------------------------------
# Home


def home_page(facts: EditionFacts, place: layout.Place, base_url: str | None, today: dt.date, map_path: str) -> str:
    newest = facts.newest
    age = (today - newest.date).days
    in_force = laws_in_force(facts.laws, newest.date)
    counts = facts.rows["state"].astype(object).value_counts()
    law_rows = []
    for row in in_force.to_dict("records"):
        code = str(row["state"])
        newest_status = row["newest_status"]
        law_rows.append(
            {
                "href": place.link(layout.state_page(code)),
                "name": state_name(code),
                "status": law_words.class_label(row["law_class"], short=True),
                "marks": law_marks({"mark": row["mark"], "low_confidence": row["confidence"] == "low"}),
                "since": (
                    day(row["effective_date"])
                    if row["in_force"] and not pd.isna(row["effective_date"])
                    else f"{int(row['effective_year'])} ({_('day of effect not known')})"
                    if row["in_force"] and not pd.isna(row["effective_year"])
                    else "—"
                ),
                "deadline": day(row["deadline"]),
                "newest": ""
                if row["in_force"]
                else _("{status} from {date}").format(
                    status=law_words.status_label(newest_status),
                    date=day(row["newest_effective_date"]) if not pd.isna(row["newest_effective_date"]) else str(row["effective_year"]),
                ),
                "confidence": _(law_words.CONFIDENCE_LABELS.get(str(row["confidence"]), str(row["confidence"]))),
                "agreements": format_number(int(counts.get(code, 0))),
            }
        )
    law_rows.sort(key=lambda r: str(r["name"]).casefold())
    states = [
        {"href": place.link(layout.state_page(code)), "name": state_name(code), "count": format_number(int(counts.get(code, 0)))}
        for code in facts.states
    ]
    states.sort(key=lambda s: s["name"].casefold())
    checked = pd.to_datetime(facts.laws["checked"]).max()
    home = {
        "lead": _(
            "Where local police and sheriffs have 287(g) agreements with ICE, under which model, and how each "
            "state's law stands toward them."
        ),
        "newest": _("Newest ICE sheet: {file}, published {date}.").format(file=newest.file, date=format_day(newest.date)),
        "age": ngettext("It is {n} day old on {today}.", "It is {n} days old on {today}.", age).format(
            n=format_number(age), today=format_day(today)
        ),
        "figures": figures(facts.rows),
        "cite": cite(newest),
        **context_lines(facts, "US"),
        "map_title": _("287(g) agreements per county"),
        "map_src": place.link(map_path),
        "law_title": _("State laws on 287(g)"),
        "law_cite": _(
            "Law in force on the newest sheet's date ({date}); table checked up to {checked}. Each state's page "
            "gives the source and the evidence."
        ).format(date=format_day(newest.date), checked=day(checked)),
        "law_headers": [
            _("State"),
            _("In force on {date}").format(date=format_day(newest.date)),
            _("In force from"),
            _("Deadline"),
            _("Newest law, if different"),
            _("Confidence"),
            _("Agreements"),
        ],
        "law_rows": law_rows,
        "states": states,
        "changes_title": _("Latest changes"),
        "feed_label": _("Subscribe to the changes (Atom feed)"),
        "changes": [change_view(c, place, facts, True) for c in reversed(facts.changes[-3:])],
    }
    return render("home.html", place, _(PROJECT_NAME), base_url, feed_links(place, "US", ""), home=home)


# ------------------------------------------------------------------------------------------------
# A state


def state_page(
    facts: EditionFacts, state: str, place: layout.Place, base_url: str | None, map_path: str | None, law: dict[str, Any]
) -> str:
    name = state_name(state)
    rows = facts.state_rows.get(state, facts.rows.iloc[0:0])
    agreements = []
    table = rows.assign(_name=rows["agency"].astype(object).astype(str).str.casefold()).sort_values(["_name", "model"])
    for row in table.itertuples(index=False):
        path = facts.agency_path(row.site_agency)
        agreements.append(
            {
                "name": str(row.agency),
                "href": place.link(path) if path else None,
                "type": _type_label(row.jurisdiction_type),
                "county": _county_label(row.level, row.county_name),
                "model": _code(row.model),
                "signed": day(row.signed),
                "moa": _url(row.moa_url),
                "addendum": _url(row.addendum_url),
            }
        )
    pending = facts.pending_rows[facts.pending_rows["state"].astype(object) == state]
    items = figures(rows)
    if facts.pending is not None:
        items.append((_("Pending applications"), format_number(len(pending)), cite(facts.pending)))
    changes = facts.state_changes.get(state, [])[-CHANGES_ON_STATE_PAGE:]
    st = {
        "name": name,
        "figures": items,
        "cite": cite(facts.newest)
        + ("" if facts.pending is None else " " + _("Pending applications: {cite}").format(cite=cite(facts.pending))),
        **context_lines(facts, state),
        "feed_href": place.link(layout.feed(state)),
        "feed_label": _("Subscribe to changes in {state} (Atom feed)").format(state=name),
        "law_title": _("State law"),
        "law": law,
        "map_title": _("Where in {state}").format(state=name),
        "map_src": place.link(map_path) if map_path else None,
        "no_map": _("No boundary file covers {state}; its agreements are listed below.").format(state=name) if len(rows) else "",
        "agreements_title": ngettext("{n} agreement in the newest sheet", "{n} agreements in the newest sheet", len(rows)).format(
            n=format_number(len(rows))
        ),
        "headers": [_("Agency"), _("Type"), _("County"), _("Model"), _("Signed"), _("MOA"), _("Addendum")],
        "agreements": agreements,
        "none_listed": _("ICE's newest sheet lists no 287(g) agreement in {state}.").format(state=name),
        "downloads": [
            (_("CSV of these agreements"), place.shared(layout.download(state, "csv"))),
            (_("GeoJSON of these agreements (points)"), place.shared(layout.download(state, "geojson"))),
        ],
        "download_note": _("Downloads keep the machine column names (state, agency, model, signed, …) in every language.")
        + " "
        + cite(facts.newest),
        "changes_title": _("Changes in the last sheets"),
        "changes": [change_view(c, place, facts, False) for c in reversed(changes)],
        "no_changes": _("No sheet we hold changed the list of agreements in {state}.").format(state=name),
    }
    return render("state.html", place, name, base_url, feed_links(place, state, name), st=st)


def _type_label(value: object) -> str:
    labels = {"County": _("County"), "Municipality": _("Municipality"), "State": _("State")}
    return labels.get(str(value), str(value)) if isinstance(value, str) else "—"


def _county_label(level: object, county: object) -> str:
    if level == "statewide":
        return _("statewide agency")
    return str(county) if isinstance(county, str) and county else "—"


def _url(value: object) -> str | None:
    return safe_url(value)


# ------------------------------------------------------------------------------------------------
# An agency


def law_day(facts: EditionFacts, agency: AgencyFacts) -> dt.date:
    """The day an agency page reads its state's law on: the newest sheet's date while the agency is listed,
    else the day of its last listing (how its agreements stood to the law when they were listed). So the
    page of an agency that left does not change with every new sheet."""
    return facts.newest.date if agency.listed_now else agency.last.date


def agency_page(facts: EditionFacts, agency: AgencyFacts, place: layout.Place, base_url: str | None, law: dict[str, Any]) -> str:
    """``law``: :func:`law_view` of the agency's state on :func:`law_day` (made once per state and day)."""
    participating = [r for r in agency.history if r["kind"] == "participating"]
    pending = [r for r in agency.history if r["kind"] == "pending"]
    newest_date = pd.Timestamp(law_day(facts, agency))
    rows = []
    for row in participating:
        rows.append(
            {
                "model": _code(row["model"]),
                "signed": day(row["signed"]),
                "moa": _url(row["moa_url"]),
                "addendum": _url(row["addendum_url"]),
                "first": day(row["first_seen"]),
                "last": day(row["last_seen"]),
                "sheets": format_number(int(row["publications"])),
                "now": _("yes") if row["active"] else _("no"),
                "law": _standing(law, row, agency.relations, newest_date),
            }
        )
    pending_rows = [
        {
            "model": _code(r["model"]),
            "first": day(r["first_seen"]),
            "last": day(r["last_seen"]),
            "sheets": format_number(int(r["publications"])),
            "now": _("yes") if r["active"] else _("no"),
        }
        for r in pending
    ]
    name = state_name(agency.state)
    where = [
        _type_label(agency.jurisdiction_type),
        _county_label(agency.level, agency.county) if agency.county or agency.level == "statewide" else _("county not known"),
        name,
    ]
    if agency.listed_now:
        standing, css = _("Listed in ICE's newest sheet ({date}).").format(date=format_day(facts.newest.date)), "now"
    elif agency.gone_by is not None:
        last = max(r["last_seen"] for r in participating)
        standing = _(
            "No longer listed: last in a sheet of {last}, absent from the next one, {file} of {date}, and from every later sheet we hold."
        ).format(last=day(last), file=agency.gone_by.file, date=format_day(agency.gone_by.date))
        css = "gone"
    else:
        standing, css = _("Never listed as participating: only among pending applications."), "pending"
    facts_list = [
        (_("First seen:"), _("{file} of {date}").format(file=agency.first.file, date=format_day(agency.first.date))),
        (_("Last seen:"), _("{file} of {date}").format(file=agency.last.file, date=format_day(agency.last.date))),
        (_("FBI ORI:"), f"{agency.ori} ({agency.ori_name})" if agency.ori and agency.ori_name else (agency.ori or _("not matched"))),
        (
            _("County:"),
            _county_label(agency.level, agency.county) if agency.county or agency.level == "statewide" else _("county not known"),
        ),
    ]
    spellings = sorted(set(agency.spellings) - {agency.name})
    ag = {
        "name": agency.name,
        "state_name": name,
        "state_href": place.link(layout.state_page(agency.state)) if agency.state in facts.states else None,
        "where": " · ".join(where),
        "standing": standing,
        "standing_class": css,
        "facts": facts_list,
        "spellings": _("Also listed by ICE as: {names}").format(names="; ".join(spellings)) if spellings else "",
        "agreements_title": _("Agreements (participating)"),
        "headers": [
            _("Model"),
            _("Signed"),
            _("MOA"),
            _("Addendum"),
            _("First listed"),
            _("Last listed"),
            _("Sheets listing it"),
            _("In newest sheet"),
            _("How it stands to the state's law"),
        ],
        "agreements": rows,
        "history_note": _(
            "One row per model and SIGNED date: an agreement re-signed under a new date is a new row. "
            "First/last listed: ICE's first and last participating sheet listing it."
        ),
        "no_agreements": _("No participating agreement: this agency appears only among pending applications."),
        "pending_title": _("Pending applications"),
        "pending_headers": [_("Model"), _("First listed"), _("Last listed"), _("Sheets listing it"), _("Still pending")],
        "pending": pending_rows,
        "law_title": _("{state}'s law on 287(g)").format(state=name),
        "law": law,
        "cite": _("From every ICE sheet we hold, up to {cite}").format(cite=cite(facts.newest))
        if agency.listed_now
        else _("Its last listing: {cite}").format(cite=cite(agency.last)),
    }
    title = f"{agency.name} ({agency.state})"
    scope = agency.state if agency.state in facts.states else "US"
    return render("agency.html", place, title, base_url, feed_links(place, scope, name), ag=ag)


def _standing(law: dict[str, Any], row: dict, relations: dict[str, dict], newest: pd.Timestamp) -> str:
    """How one agreement stands to its state's law: the law vs practice relation for states whose law
    prohibits or restricts 287(g); for the others, what the law in force says of agreements like it."""
    if row["model"] in relations:
        return compliance_words.relation_text(pd.Series(relations[row["model"]]), newest)
    code = law.get("code")
    if code == "mandates":
        return _("The law in force mandates 287(g) agreements; it does not bar this one")
    if code == "requires_cooperation":
        return _("The law in force requires cooperation with ICE; it does not bar this agreement")
    if code in compliance.RESTRICTIVE:
        return _("The law in force limits 287(g); see the law below")
    if code == "none":
        return _("No state law on 287(g) in force")
    return _("No state law in our table")


# ------------------------------------------------------------------------------------------------
# An address an agency no longer uses (two spellings found to be one agency)


def moved_page(place: layout.Place, target: str, base_url: str | None) -> str:
    href = place.link(target)
    moved = {"title": _("This agency's page has moved"), "href": href, "text": _("Go to its page")}
    target_url = layout.Place(place.lang, target).url(base_url)
    return render("moved.html", place, moved["title"], base_url, [], moved=moved, refresh=href, canonical=target_url)
