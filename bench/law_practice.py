"""`make bench` part "law": how fast the Law vs practice page shows its first content.

Two measures (first content within 3 s of a warm server):

* ``law_practice_first_content_s``: headless Chromium (Debian's chromium through Playwright, offline
  routing as in the browser tests). The server is warm: started, the dataset loaded by a first visit
  to Home, and the page visited once (its per-dataset caches filled). Then each of ``runs`` fresh
  browser sessions opens ``/Law_vs_practice`` and the clock stops when the first content is on screen:
  the headline sentence with the counts above the per-state table. Median of the runs.
  ``law_practice_first_content_cold_s`` is the single first visit (page caches empty, dataset loaded);
  ``about_first_content_s``, the same measure on the static About page, is the floor any page pays (a
  fresh browser session loads Streamlit's scripts), to read the first figure against.
* ``law_practice_compute_s``: the page's compute path to its first content on its own (restricted
  presence, per-state and per-agreement tables), median of ``runs`` runs in this process: what the first
  visitor's server does once per dataset before the first table; ``law_practice_compute_all_s`` adds the
  other tabs and the chart (each runs only when opened).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from timing import median_seconds

FIRST_CONTENT = "ICE's sheets list agreements in"


def bench_law_practice(folder: Path, cache: Path, runs: int = 5) -> dict:
    out = bench_compute(cache, runs)
    out.update(bench_browser(folder, cache, runs))
    return out


def bench_compute(cache: Path, runs: int = 5) -> dict:
    from mapcore.analysis import compliance
    from mapcore.analysis.law_on_day import law_changes
    from mapcore.app.data import assemble
    from mapcore.build import store
    from mapcore.words import compliance as compliance_words

    data = assemble(store.load(cache=cache))

    def first_content() -> None:  # what the default tab computes before its first table
        presence = compliance.restricted_presence(data.agreements, data.sheets, data.laws)
        compliance_words.states_table(compliance.restricted_states_table(presence, data.laws))
        compliance_words.presence_table(presence, data.publication_date(data.latest_id()))

    def everything() -> None:  # every tab and the chart, as a user opening all of them would cause
        first_content()
        series = compliance.restricted_series(data.agreements, data.sheets, data.laws)
        compliance.law_windows(series, data.laws)
        compliance.mandate_gaps(data.agreements, data.sheets, data.laws, data.counties)
        compliance.state_level_duties(data.laws, data.publication(data.latest_id()))
        law_changes(data.laws)

    return {"law_practice_compute_s": median_seconds(first_content, runs), "law_practice_compute_all_s": median_seconds(everything, runs)}


def bench_browser(folder: Path, cache: Path, runs: int = 5) -> dict:
    from browser_support import browser_page, chromium_path, streamlit_app, wait_idle

    if chromium_path() is None:
        return {"law_practice_first_content_s": None, "law_practice_note": "chromium not installed"}
    env = {"MAPCORE_SOURCE": str(folder), "MAPCORE_CACHE": str(cache)}

    def first_content(base: str, path: str = "Law_vs_practice", text: str = FIRST_CONTENT) -> float:
        with browser_page() as page:
            start = time.perf_counter()
            page.goto(f"{base}/{path}")
            page.get_by_text(text).first.wait_for(timeout=120_000)
            elapsed = time.perf_counter() - start
            wait_idle(page, 180_000)  # let the run finish before the next session starts
            return elapsed

    with streamlit_app(env) as base:
        with browser_page() as page:  # warm server: the dataset is loaded by a first page view
            page.goto(base)
            wait_idle(page, 180_000)
        cold = first_content(base)
        times = [first_content(base) for _ in range(runs)]
        floor = [first_content(base, "About", "The three models") for _ in range(runs)]
    return {
        "law_practice_first_content_s": statistics.median(times),
        "law_practice_first_content_cold_s": cold,
        "law_practice_runs": [round(t, 2) for t in times],
        "about_first_content_s": statistics.median(floor),
    }
