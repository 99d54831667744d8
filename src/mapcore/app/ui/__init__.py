"""The only part of mapcore that imports streamlit: what every page shares, in five small modules.

- :mod:`~mapcore.app.ui.page`: the reader's language, the page config and menu, the source line;
- :mod:`~mapcore.app.ui.cache`: the data, loaded and computed once per process and shared read-only;
- :mod:`~mapcore.app.ui.urls`: the view's state in the URL;
- :mod:`~mapcore.app.ui.maps`: the map component and its picture downloads;
- :mod:`~mapcore.app.ui.tables`: paged tables and file downloads.

Pages write ``from mapcore.app import ui`` and call ``ui.setup_page(...)``, ``ui.app_data()``...: the
public names of the five modules are re-exported here.
"""

from mapcore.app.ui.cache import (
    agency_index,
    app_data,
    keyed_agreements,
    law_mandate_gaps,
    law_restricted,
    law_restricted_chart,
    law_roster_gaps,
    laws,
    spread_steps,
    static_agency_link,
    timeline,
    timeline_pending,
    timeline_presence,
    town_county,
    warning_text,
)
from mapcore.app.ui.maps import map_downloads, show_map
from mapcore.app.ui.page import (
    LANG_PARAM,
    PAGE_ICON,
    PAGES,
    footer,
    is_phone,
    page_link,
    page_query,
    reader_language,
    setup_page,
    show_data_age,
    source_caption,
    stop,
)
from mapcore.app.ui.tables import (
    LABELS,
    MIME,
    PAGE_ROWS,
    column_picker,
    download_about,
    download_buttons,
    paged_dataframe,
    show_context,
    table_downloads,
)
from mapcore.app.ui.urls import query_param_list, seed_from_url, set_query_params, url_changed, url_tabs

__all__ = [
    "LABELS",
    "LANG_PARAM",
    "MIME",
    "PAGES",
    "PAGE_ICON",
    "PAGE_ROWS",
    "agency_index",
    "app_data",
    "column_picker",
    "download_about",
    "is_phone",
    "static_agency_link",
    "download_buttons",
    "footer",
    "keyed_agreements",
    "law_mandate_gaps",
    "law_roster_gaps",
    "law_restricted",
    "law_restricted_chart",
    "laws",
    "map_downloads",
    "page_link",
    "page_query",
    "paged_dataframe",
    "query_param_list",
    "reader_language",
    "seed_from_url",
    "set_query_params",
    "setup_page",
    "show_context",
    "show_data_age",
    "show_map",
    "source_caption",
    "spread_steps",
    "stop",
    "table_downloads",
    "timeline",
    "timeline_pending",
    "timeline_presence",
    "town_county",
    "url_changed",
    "url_tabs",
    "warning_text",
]
