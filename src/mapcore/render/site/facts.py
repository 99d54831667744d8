"""What the static edition shows, computed once from the dataset: values, codes and dates, no words.

Every page of both languages is rendered from one :class:`EditionFacts`; sentences are made when a
page is rendered (:mod:`mapcore.render.site.pages`), in its language. The figures come from the
library's analysis functions (the same the app uses): the newest participating sheet's rows, the
diffs between consecutive publications (:func:`mapcore.analysis.history.consecutive_diffs`), each
agency's history (:func:`mapcore.analysis.agency_story.rows_history`), the law vs practice relations
(:func:`mapcore.analysis.compliance.restricted_presence`) and the context (out of how many).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import pandas as pd

from mapcore.analysis import agency_story, compliance, history, query
from mapcore.analysis.context import Context, context
from mapcore.analysis.state_profile import state_choices
from mapcore.build.store import Dataset
from mapcore.core.schema import STATES_AND_DC
from mapcore.render.site.agencies import Agency, agencies, assign_paths, spelling_paths

CHANGES_ON_STATE_PAGE = 10  # the state page lists the changes of this many newest publications


@dataclass(frozen=True)
class Sheet:
    """One ICE sheet as every figure cites it: its id, date and file name."""

    id: str
    date: dt.date
    file: str
    kind: str


@dataclass(frozen=True)
class Listing:
    """One agreement added or removed between two sheets, as a change list names it."""

    state: str
    agency: str
    model: str | None
    signed: dt.date | None
    site_agency: str | None  # the agency's key (its page)


@dataclass(frozen=True)
class Change:
    """What one participating publication changed against the one before it, sorted by state and agency."""

    sheet: Sheet
    previous: Sheet
    added: tuple[Listing, ...]
    removed: tuple[Listing, ...]

    def for_state(self, state: str) -> Change:
        return Change(
            self.sheet, self.previous, tuple(x for x in self.added if x.state == state), tuple(x for x in self.removed if x.state == state)
        )

    @property
    def empty(self) -> bool:
        return not self.added and not self.removed


@dataclass(frozen=True)
class AgencyFacts:
    """One agency ever listed: where its page is, its newest name and place, its sheets and history."""

    agency: Agency
    path: str
    name: str
    state: str
    jurisdiction_type: str | None
    county: str | None
    level: str | None
    ori: str | None
    ori_name: str | None
    first: Sheet  # the first sheet (either kind) listing it
    last: Sheet  # the last sheet (either kind) listing it
    gone_by: Sheet | None  # the first participating sheet after its last participating listing (it left)
    listed_now: bool  # in the newest participating sheet
    spellings: tuple[str, ...]  # every name ICE printed for it
    history: tuple[dict, ...]  # agency_story.HISTORY_COLUMNS records, participating first
    relations: dict[str, dict]  # model -> compliance.PRESENCE_COLUMNS record (restrictive states only)


@dataclass
class EditionFacts:
    dataset: Dataset
    laws: pd.DataFrame
    newest: Sheet
    pending: Sheet | None
    rows: pd.DataFrame  # the newest participating sheet's agreements (with site_agency)
    pending_rows: pd.DataFrame
    states: list[str]  # every state page: the 50 states, DC and territories ICE lists
    agencies: list[AgencyFacts]
    paths: dict[str, str]  # agency key -> page path
    spelling_paths: dict[str, str]  # for the manifest
    retired: dict[str, str]  # an earlier edition's address -> the address of the agency now
    changes: list[Change]  # every participating publication that changed something, oldest first
    state_changes: dict[str, list[Change]]  # the same, per state (only the sheets that changed the state)
    state_rows: dict[str, pd.DataFrame]  # the newest sheet's rows per state
    presence: pd.DataFrame
    contexts: dict[str, Context] = field(default_factory=dict)

    def sheet(self, publication_id: str) -> Sheet:
        return sheet_of(self.dataset.sheets, publication_id)

    def agency_path(self, agency_key: object) -> str | None:
        return self.paths.get(str(agency_key)) if isinstance(agency_key, str) else None


def sheet_of(sheets: pd.DataFrame, publication_id: str) -> Sheet:
    return sheets_by_id(sheets)[str(publication_id)]


def sheets_by_id(sheets: pd.DataFrame) -> dict[str, Sheet]:
    """Every sheet of the dataset as cited, by publication id."""
    return {
        str(i): Sheet(str(i), pd.Timestamp(d).date(), PurePosixPath(str(f)).name, str(k))
        for i, d, f, k in zip(sheets["publication_id"], sheets["publication_date"], sheets["source_file"], sheets["kind"])
    }


def gather(
    dataset: Dataset, laws: pd.DataFrame, given_paths: Mapping[str, str] | None = None, roster: pd.DataFrame | None = None, population=None
) -> EditionFacts:
    """The facts of an edition. ``given_paths``: the spelling -> address table of earlier editions
    (the manifest), so no agency's address ever moves."""
    agreements, sheets = dataset.agreements, dataset.sheets
    newest_id = query.latest_publication_id(sheets, "participating")
    if newest_id is None:
        raise ValueError("the dataset has no participating sheet: nothing to publish")
    pending_id = query.latest_publication_id(sheets, "pending")
    groups = agencies(agreements, sheets)
    cited = sheets_by_id(sheets)
    paths, retired = assign_paths(groups, given_paths)
    by_id = {agency_id: agency.key for agency in groups for agency_id in agency.agency_ids}
    keyed = agreements.assign(site_agency=agreements["agency_id"].astype(object).astype(str).map(by_id))
    rows = query.publication_rows(keyed, newest_id)
    pending_rows = query.publication_rows(keyed, pending_id)
    presence = compliance.restricted_presence(agreements, sheets, laws)
    changes = _changes(keyed, sheets)
    facts = EditionFacts(
        dataset=dataset,
        laws=laws,
        newest=cited[newest_id],
        pending=cited[pending_id] if pending_id else None,
        rows=rows,
        pending_rows=pending_rows,
        states=state_choices(agreements),
        agencies=[],
        paths=paths,
        spelling_paths=spelling_paths(groups, paths),
        retired=retired,
        changes=changes,
        state_changes=_by_state(changes),
        presence=presence,
        state_rows={str(k): g for k, g in rows.groupby(rows["state"].astype(object), sort=False)},
    )
    facts.agencies = _agency_facts(keyed, sheets, groups, paths, presence)
    if roster is not None and population is not None:
        facts.contexts = {
            scope: context(rows, roster, population, scope) for scope in ["US", *[s for s in facts.states if s in STATES_AND_DC]]
        }
    return facts


DIFF_COLUMNS = (
    "site_agency",
    "key",
    "agency_id",
    "state",
    "agency",
    "model",
    "signed",
    "moa_url",
    "kind",
    "publication_id",
    "publication_date",
    "jurisdiction_type",
    "county_name",
)


def _changes(keyed: pd.DataFrame, sheets: pd.DataFrame) -> list[Change]:
    cited = sheets_by_id(sheets)
    slim = keyed[list(DIFF_COLUMNS)]
    out = []
    for earlier, later, diff in history.consecutive_diffs(slim, sheets):
        change = Change(cited[later], cited[earlier], _listings(diff.added), _listings(diff.removed))
        if not change.empty:
            out.append(change)
    return out


def _listings(frame: pd.DataFrame) -> tuple[Listing, ...]:
    items = [
        Listing(str(state), str(agency), _text(model), None if pd.isna(signed) else pd.Timestamp(signed).date(), _text(key))
        for state, agency, model, signed, key in zip(
            frame["state"].astype(object),
            frame["agency"].astype(object),
            frame["model"].astype(object),
            frame["signed"],
            frame["site_agency"],
        )
    ]
    return tuple(sorted(items, key=lambda x: (x.state, x.agency.casefold(), x.model or "")))


def _by_state(changes: list[Change]) -> dict[str, list[Change]]:
    states = sorted({x.state for c in changes for x in (*c.added, *c.removed)})
    out: dict[str, list[Change]] = {}
    for state in states:
        out[state] = [c for c in (change.for_state(state) for change in changes) if not c.empty]
    return out


def _agency_facts(
    keyed: pd.DataFrame, sheets: pd.DataFrame, groups: list[Agency], paths: dict[str, str], presence: pd.DataFrame
) -> list[AgencyFacts]:
    cited = sheets_by_id(sheets)
    order = pd.Series(sheets["sequence"].to_numpy(), index=sheets["publication_id"].astype(str))
    slim = pd.DataFrame(
        {
            c: keyed[c].astype(object).to_numpy()
            for c in (
                "site_agency",
                "publication_id",
                "kind",
                "agency",
                "jurisdiction_type",
                "county_name",
                "level",
                "ori",
                "ori_name",
                "key",
            )
        }
    )
    slim["publication_id"] = slim["publication_id"].astype(str)
    slim = slim.assign(seq=slim["publication_id"].map(order).to_numpy()).sort_values("seq", kind="stable")

    def last(frame: pd.DataFrame, keep: str = "last") -> pd.DataFrame:
        return frame.drop_duplicates("site_agency", keep=keep).set_index("site_agency")

    first_rows, last_rows = last(slim, "first"), last(slim)
    placed = last(slim[slim["county_name"].notna()])["county_name"]
    with_ori = last(slim[slim["ori"].notna()])[["ori", "ori_name"]]
    last_part = last(slim[slim["kind"] == "participating"])["publication_id"]
    keys = slim[["site_agency", "key"]].dropna().drop_duplicates().groupby("site_agency")["key"].agg(list)
    names = slim[["site_agency", "agency"]].dropna().drop_duplicates().groupby("site_agency")["agency"].agg(list)
    histories: dict[str, list[dict]] = {}
    for record in agency_story.rows_history(keyed, sheets, by="site_agency").to_dict("records"):
        histories.setdefault(str(record.pop("site_agency")), []).append(record)
    part_ids = [str(p) for p in query.publications(sheets, "participating")["publication_id"]]
    next_part = dict(zip(part_ids, part_ids[1:]))
    relations = {str(r["key"]): r for r in presence.to_dict("records")}
    facts = []
    for agency in groups:
        key = agency.key
        row = last_rows.loc[key]
        part = last_part.get(key)
        gone = next_part.get(part) if part else None
        mine = {str(relations[k]["model"]): relations[k] for k in keys.get(key, []) if k in relations}
        facts.append(
            AgencyFacts(
                agency=agency,
                path=paths[key],
                name=str(row["agency"]),
                state=agency.state,
                jurisdiction_type=_text(row["jurisdiction_type"]),
                county=_text(placed.get(key)),
                level=_text(row["level"]),
                ori=_text(with_ori["ori"].get(key)),
                ori_name=_text(with_ori["ori_name"].get(key)),
                first=cited[first_rows.loc[key, "publication_id"]],
                last=cited[row["publication_id"]],
                gone_by=cited[gone] if gone else None,
                listed_now=bool(part_ids) and part == part_ids[-1],
                spellings=tuple(sorted(set(names.get(key, [])))),
                history=tuple(histories.get(key, ())),
                relations=mine,
            )
        )
    return sorted(facts, key=lambda f: (f.state, f.name.casefold(), f.path))


def _text(value: object) -> str | None:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
