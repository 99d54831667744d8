"""``mapcore render``: a map of the agreements as a file, from the same filters as ``mapcore export``.

PNG (2400 px wide) and SVG come from the picture renderer (:mod:`mapcore.render.picture`), HTML is one
self-contained file to embed (:func:`mapcore.render.webmap.embed_html`), GIF and MP4 animate the
spread over time (``--map spread``, :mod:`mapcore.render.animation`). The map is built by the functions
the app uses (:mod:`mapcore.render.map_catalog`, :func:`mapcore.render.maps.spread_map`), so a file made
here is the map the app shows for the same filters.
"""

from __future__ import annotations

import argparse

from mapcore.cli.selection import View, add_view_arguments, view_from_arguments

FORMATS = ("png", "svg", "html", "gif", "mp4")
MAPS = ("county", "per_capita", "sheriff", "state", "state_share", "spread")


def add_render_command(sub) -> None:
    render = sub.add_parser("render", help="a map as a picture (PNG, SVG), an HTML file to embed, or the spread over time (GIF, MP4)")
    add_view_arguments(render)
    render.add_argument("--format", default="png", choices=FORMATS)
    render.add_argument(
        "--map",
        default="county",
        choices=MAPS,
        dest="map_view",
        help="which map (default: agreements per county); 'spread': agreements per county on each "
        "sheet, month by month (every day that has a sheet with one --state)",
    )
    render.add_argument("--law", action="store_true", help="draw each state's law (in force on the sheet's date) as a band")
    render.add_argument("--width", type=int, help="PNG, GIF or MP4 width in pixels (PNG default 2400, clips 1200)")
    render.add_argument("--every", choices=["month", "day"], help="the spread's steps (default: month; day with one --state)")
    render.add_argument("--tiles", action="store_true", help="HTML: keep the background map tiles (an outside request)")
    render.add_argument("-o", "--output", required=True)
    render.set_defaults(func=cmd_render)


def cmd_render(args: argparse.Namespace) -> int:
    from mapcore.core.atomic import output_path, write_bytes_atomically

    path = output_path(args.output)
    if args.format in ("gif", "mp4") and args.map_view != "spread":
        raise ValueError(f"--format {args.format} animates the spread over time: add --map spread")
    if args.width is not None and not 200 <= args.width <= 8000:
        raise ValueError(f"--width {args.width}: expected 200 to 8000 pixels")
    view = view_from_arguments(args)
    _check_states(view.filters.states)
    spec, caption = _spread(view, args) if args.map_view == "spread" else _map(view, args)
    data = _encode(spec, caption, args)
    write_bytes_atomically(path, data)
    print(f"wrote {path} ({args.format.upper()}, {len(data):,} bytes): {caption.title}; {caption.filter_line()}; {caption.source_line()}")
    return 0


def _check_states(states: tuple[str, ...]) -> None:
    if not states:
        return
    from mapcore.geo.boundaries import county_table

    known = set(county_table()["state"])
    unknown = [s for s in states if s not in known]
    if unknown:
        raise ValueError(f"--state {', '.join(unknown)}: no boundary for this state (expected a postal code such as TX)")


def _map(view: View, args):
    from mapcore.analysis.law_on_day import laws_in_force
    from mapcore.reference.fbi_roster import roster_table
    from mapcore.reference.laws import load_laws
    from mapcore.reference.population import load_population
    from mapcore.render.caption import caption_for
    from mapcore.render.map_catalog import map_of

    when = view.publication_date
    laws = load_laws()
    laws = laws if when is None else laws_in_force(laws, when)
    states = view.filters.states
    only = states if 0 < len(states) <= 6 and args.map_view not in ("state", "state_share") else ()
    population = load_population() if args.map_view in ("per_capita", "state_share") else None
    roster = roster_table() if args.map_view == "state_share" else None
    spec = map_of(args.map_view, view.rows, laws, show_law=args.law, only_states=only, population=population, roster=roster)
    return spec, caption_for(spec.args["name"], view.filters, when, law_shown=args.law)


def _spread(view: View, args):
    from mapcore.analysis.spread import DAILY, MONTHLY, spread
    from mapcore.render import maps
    from mapcore.render.caption import spread_caption

    states = view.filters.states
    every = args.every or (DAILY if len(states) == 1 else MONTHLY)
    agreements = view.dataset.agreements
    sheets = view.dataset.sheets
    if view.publication_date is not None:  # --date: the spread up to that sheet
        sheets = sheets[sheets["publication_date"] <= view.publication_date]
    steps = spread(agreements, sheets, states, every, view.filters.models)
    if not steps:
        raise ValueError("no participating sheet to animate")
    spec = maps.spread_map(steps, states if len(states) <= 6 else ())
    return spec, spread_caption(steps[0].label, steps[-1].label, every, view.filters)


def _encode(spec, caption, args) -> bytes:
    if args.format in ("png", "svg"):
        from mapcore.render.picture import render_map

        return render_map(spec, caption, args.format, args.width)
    if args.format == "html":
        from mapcore.render.webmap import embed_html

        return embed_html(spec, caption, tiles=args.tiles).encode("utf-8")
    from mapcore.render.animation import animate, video_available

    if args.format == "mp4" and not video_available():
        raise ValueError("MP4 needs the optional package imageio-ffmpeg: pip install 'mapcore[video]' (or use --format gif)")
    return animate(spec, caption, args.format, **({"width_px": args.width} if args.width else {}))
