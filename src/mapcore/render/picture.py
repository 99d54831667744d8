"""Map pictures for print and slides: PNG and SVG drawn from the same :class:`MapSpec` the browser draws.

The picture is made from the spec itself: the geometry files it names (the ones the browser fetches,
decoded the same way and projected the same way, Web Mercator), each place's colour class, the law
band, the markers, the legends and the view's bounds. What the user sees in the app is what the file
shows, with a title that states the filters and a source line naming the ICE sheet and its date. AK,
HI and PR sit where the national geometry puts them (:func:`mapcore.geo.boundaries.national_view`):
insets below the lower 48, as in the browser.

No browser and no pyplot: a matplotlib :class:`~matplotlib.figure.Figure` per picture (the object API
is safe in a download callback's thread). Text stays text in SVG (``svg.fonttype = none``), so a
legend label can be found, edited or translated in the file.

A spec with ``frames`` (the spread over time, :func:`mapcore.render.maps.spread_map`) draws one
frame; :mod:`mapcore.render.animation` redraws the same figure frame by frame.
"""

from __future__ import annotations

import functools
import io
import json
import textwrap
from dataclasses import dataclass

import matplotlib
import matplotlib.colors
import numpy as np
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path

from mapcore.core.i18n import N_, _
from mapcore.geo.web_layers import GeometryFile
from mapcore.render.caption import PROJECT_NAME, Caption
from mapcore.render.maps import EMPTY_FILL, PENDING_COLOR, STATEWIDE_FILL, MapSpec

FORMATS = ("png", "svg")
MIME = {"png": "image/png", "svg": "image/svg+xml"}
WIDTH_IN = 12.0
DPI = 200  # 12 in x 200 dpi = 2400 px wide
MARGIN_IN = 0.35
LEGEND_IN = 3.0  # the legend column, right of the map
GAP_IN = 0.25
STAMP_IN = 1.05  # a frame's date and running count, above the legend
MAX_MAP_HEIGHT_IN = 8.0
OUT_OF_FOCUS_FILL = "#f7f7f7"  # neighbours of the chosen states, faint as in the browser
OUT_OF_FOCUS_EDGE = "#cfcfcf"
AREA_EDGE = "#7a7a7a"
OUTLINE_EDGE = "#444444"
TEXT = "#262730"
GREY_TEXT = "#555555"
BACKGROUND = "#ffffff"
FLAT_COLORS = (BACKGROUND, TEXT, GREY_TEXT, AREA_EDGE, OUTLINE_EDGE, OUT_OF_FOCUS_FILL, OUT_OF_FOCUS_EDGE)


def render_map(spec: MapSpec, caption: Caption, fmt: str = "png", width_px: int | None = None) -> bytes:
    """The map of ``spec`` as a PNG (at least 2000 px wide by default: 2400) or an SVG, with ``caption``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown picture format {fmt!r}; expected one of {', '.join(FORMATS)}")
    picture = MapPicture(spec, caption)
    return picture.to_bytes(fmt, width_px)


# ---------------------------------------------------------------------------------------------- geometry


@dataclass(frozen=True)
class Place:
    """One county or state as the map draws it: its id, state group and outline in Mercator units."""

    id: str
    group: str
    path: Path
    box: tuple[float, float, float, float]  # west, south, east, north (Mercator units)


def _merc_y(lat: np.ndarray) -> np.ndarray:
    """Latitude in degrees to Web Mercator y in degree units (x stays longitude), as Leaflet draws."""
    lat = np.clip(lat, -85.0, 85.0)
    return np.degrees(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))


@functools.lru_cache(maxsize=16)
def places(geometry: GeometryFile) -> tuple[Place, ...]:
    """The places of one encoded geometry file (see :mod:`mapcore.geo.codec`), decoded once per file:
    each polygon's rings as one compound path (holes stay holes)."""
    data = json.loads(geometry.text)
    scale = float(data["s"])
    out = []
    for item in data["f"]:
        fid, polygons = str(item[0]), item[2]
        group = str(item[3]) if len(item) > 3 and item[3] is not None else fid
        vertices, codes = [], []
        for polygon in polygons:
            for ring in polygon:
                xy = np.cumsum(np.asarray(ring, dtype=float).reshape(-1, 2), axis=0) / scale
                if len(xy) < 3:
                    continue
                xy[:, 1] = _merc_y(xy[:, 1])
                ring_codes = np.full(len(xy) + 1, Path.LINETO, dtype=Path.code_type)
                ring_codes[0], ring_codes[-1] = Path.MOVETO, Path.CLOSEPOLY
                vertices.append(np.vstack([xy, xy[:1]]))
                codes.append(ring_codes)
        if vertices:
            xy = np.concatenate(vertices)
            low, high = xy.min(axis=0), xy.max(axis=0)
            out.append(Place(fid, group, Path(xy, np.concatenate(codes)), (float(low[0]), float(low[1]), float(high[0]), float(high[1]))))
    return tuple(out)


def _spec_places(spec: MapSpec, part: str) -> list[Place]:
    files = {f.name: f for f in spec.files}
    names = spec.args[part]["files"]
    missing = [n for n in names if n not in files]
    if missing:
        raise ValueError(f"the map spec names geometry it does not carry: {', '.join(missing)}")
    return [place for name in names for place in places(files[name])]


def _within(chosen: list[Place], extent: tuple[float, float, float, float]) -> list[Place]:
    """The places that reach into the view (a state view of national geometry draws its neighbours'
    edges, not the whole country: a smaller SVG, a faster PNG)."""
    west, south, east, north = extent
    return [p for p in chosen if p.box[2] >= west and p.box[0] <= east and p.box[3] >= south and p.box[1] <= north]


# ---------------------------------------------------------------------------------------------- the figure


class MapPicture:
    """One figure of one spec: title, map, legend column, source line. :meth:`set_values` recolours the
    places (a frame of an animation) without redrawing anything else."""

    def __init__(self, spec: MapSpec, caption: Caption, stamp: bool | None = None):
        self.spec = spec
        self.caption = caption
        self.args = spec.args
        extent = self._extent()
        self.areas = _within(_spec_places(spec, "areas"), extent)
        self.outlines = _within(_spec_places(spec, "outlines"), extent)
        frames = self.args.get("frames") or []
        self.has_stamp = bool(frames) if stamp is None else stamp
        self.figure = Figure(figsize=(WIDTH_IN, 6.0), dpi=DPI, facecolor=BACKGROUND)
        self.stamp_text = self.count_text = None
        self._layout()
        if frames:
            index = int(self.args.get("frame", len(frames) - 1))
            frame = frames[max(0, min(index, len(frames) - 1))]
            self.set_values(frame["values"], frame.get("label", ""), frame.get("note", ""))

    # -- public

    def set_values(self, values: dict, label: str = "", note: str = "") -> None:
        """Colour each place by ``values`` (id -> [class, ...], as in the spec) and show ``label`` (the
        date of a frame) and ``note`` (its running count)."""
        self.collection.set_facecolor(self._fills(values))  # type: ignore[arg-type]  # an Nx4 array is accepted
        if self.stamp_text is not None:
            self.stamp_text.set_text(label)
            self.count_text.set_text(note.replace(" · ", "\n"))

    def to_bytes(self, fmt: str = "png", width_px: int | None = None) -> bytes:
        buffer = io.BytesIO()
        dpi = DPI if width_px is None else width_px / WIDTH_IN
        with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "mapcore"}):
            self.figure.savefig(
                buffer,
                format=fmt,
                dpi=dpi,
                facecolor=BACKGROUND,
                metadata={"Title": self.caption.title} if fmt == "svg" else {"Software": str(PROJECT_NAME)},
            )
        return buffer.getvalue()

    def rgb(self, width_px: int) -> np.ndarray:
        """The figure as an RGB array ``width_px`` wide (even sizes, as video encoders want)."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        self.figure.set_dpi(width_px / WIDTH_IN)
        canvas = FigureCanvasAgg(self.figure)
        canvas.draw()
        image = np.asarray(canvas.buffer_rgba())[:, :, :3]
        height, width = image.shape[:2]
        return np.ascontiguousarray(image[: height - height % 2, : width - width % 2])

    # -- layout, top-down in inches, then placed as figure fractions

    def _layout(self) -> None:
        legends = list(self.args.get("legends") or [])
        west, south, east, north = self._extent()
        aspect = (north - south) / max(east - west, 1e-9)
        map_w = WIDTH_IN - 2 * MARGIN_IN - ((LEGEND_IN + GAP_IN) if legends or self.has_stamp else 0.0)
        map_h = map_w * aspect
        if map_h > MAX_MAP_HEIGHT_IN:
            map_h = MAX_MAP_HEIGHT_IN
            map_w = map_h / aspect
        title_lines = textwrap.wrap(self.caption.title, 80) or [""]
        filter_lines = textwrap.wrap(self.caption.filter_line(), 125)
        header_h = 0.12 + 0.34 * len(title_lines) + 0.24 * len(filter_lines) + 0.18
        source_lines = textwrap.wrap(self.caption.source_line(), 150) + [line for n in self.caption.notes for line in textwrap.wrap(n, 150)]
        footer_h = 0.2 + 0.19 * len(source_lines)
        legend_blocks = [_legend_block(section) for section in legends]
        legend_h = sum(block.height for block in legend_blocks) + 0.15 * max(len(legend_blocks) - 1, 0)
        legend_h += STAMP_IN if self.has_stamp else 0.0
        body_h = max(map_h, legend_h)
        height = header_h + body_h + footer_h
        self.figure.set_size_inches(WIDTH_IN, height)
        self._height = height

        y = height - 0.12
        for line in title_lines:
            y -= 0.34
            self._text(MARGIN_IN, y, line, 17, weight="bold")
        for line in filter_lines:
            y -= 0.24
            self._text(MARGIN_IN, y, line, 11.5, color=GREY_TEXT)
        top = height - header_h
        ax = self.figure.add_axes((MARGIN_IN / WIDTH_IN, (top - map_h) / height, map_w / WIDTH_IN, map_h / height))
        ax.set_axis_off()
        ax.set_xlim(west, east)
        ax.set_ylim(south, north)
        ax.set_aspect("equal", adjustable="box")
        self.ax = ax
        self._draw_map()
        x_legend = MARGIN_IN + map_w + GAP_IN
        y = top
        if self.has_stamp:  # the frame's date and running count, above the legend
            self.stamp_text = self._text(x_legend, y - 0.3, "", 20, weight="bold")
            self.count_text = self._text(x_legend, y - 0.55, "", 10.5, va="top", linespacing=1.5)
            y -= STAMP_IN
        for block in legend_blocks:
            y = block.draw(self, x_legend, y) - 0.15
        y = footer_h - 0.2
        for line in source_lines:
            self._text(MARGIN_IN, y, line, 9, color=GREY_TEXT)
            y -= 0.19

    def _text(self, x_in: float, y_in: float, text: str, size: float, **kwargs):
        kwargs.setdefault("color", TEXT)
        kwargs.setdefault("va", "baseline")
        return self.figure.text(x_in / WIDTH_IN, y_in / self._height, text, fontsize=size, ha="left", **kwargs)

    def _extent(self) -> tuple[float, float, float, float]:
        (south, west), (north, east) = self.args["view"]["bounds"]
        y0, y1 = _merc_y(np.array([south, north]))
        pad_x, pad_y = (east - west) * 0.015, (y1 - y0) * 0.015
        return west - pad_x, float(y0) - pad_y, east + pad_x, float(y1) + pad_y

    # -- the map

    def _draw_map(self) -> None:
        areas = self.args["areas"]
        focus = set(areas.get("focus") or [])
        self.in_focus = np.array([not focus or p.group in focus for p in self.areas], dtype=bool)
        edges = (
            np.where(
                self.in_focus[:, None], matplotlib.colors.to_rgba_array([AREA_EDGE]), matplotlib.colors.to_rgba_array([OUT_OF_FOCUS_EDGE])
            )
            if len(self.areas)
            else "none"
        )
        weight = float(areas.get("weight", 0.3))
        self.collection = PathCollection(
            [p.path for p in self.areas],
            facecolors=self._fills(areas.get("values", {})),
            edgecolors=edges,
            linewidths=0.25 if weight < 0.5 else 0.45,
            zorder=1,
        )
        self.ax.add_collection(self.collection)
        shown_outlines = [p for p in self.outlines if not focus or p.id in focus]
        self.ax.add_collection(
            PathCollection(
                [p.path for p in self.outlines], facecolors="none", edgecolors=OUTLINE_EDGE, linewidths=0.35 if focus else 0.6, zorder=3
            )
        )
        if focus:  # the chosen states' borders a little stronger than their neighbours'
            self.ax.add_collection(
                PathCollection([p.path for p in shown_outlines], facecolors="none", edgecolors=OUTLINE_EDGE, linewidths=0.8, zorder=3)
            )
        if "law" in self.args:
            self._draw_law(self.args["law"], shown_outlines)
        self._draw_markers(self.args.get("markers") or {})
        if self.args.get("empty"):
            self.ax.text(
                0.5,
                0.55,
                self.args["empty"],
                transform=self.ax.transAxes,
                ha="center",
                va="center",
                fontsize=13,
                weight="bold",
                color=TEXT,
                zorder=8,
                bbox={"boxstyle": "round,pad=0.5", "facecolor": "white", "edgecolor": "#999999"},
            )

    def _fills(self, values: dict) -> np.ndarray:
        areas = self.args["areas"]
        palette = matplotlib.colors.to_rgba_array(list(areas["palette"]) or ["#000000"])
        empty = matplotlib.colors.to_rgba(areas.get("empty", EMPTY_FILL))
        faint = matplotlib.colors.to_rgba(OUT_OF_FOCUS_FILL)
        fills = np.empty((len(self.areas), 4))
        for i, (place, focused) in enumerate(zip(self.areas, self.in_focus)):
            value = values.get(place.id)
            klass = int(value[0]) if value else -1
            if not focused:
                fills[i] = faint
            elif 0 <= klass < len(palette):
                fills[i] = palette[klass]
            else:
                fills[i] = empty
        return fills

    def _draw_law(self, law: dict, outlines: list[Place]) -> None:
        """A band inside each state's border in its law's colour (dashed when unconfirmed; striped with the new
        law's colour when a new law was not in force that day): a thick stroke on the border clipped to the
        state, as the browser draws it."""
        for place in outlines:
            entry = law["states"].get(place.id)
            if not entry:
                continue
            marked = entry.get("u") or entry.get("p")
            color = law["colors"].get(entry.get("s")) or (law.get("unconfirmedColor") if marked else None)
            if not color:
                continue
            clip = PathPatch(place.path, transform=self.ax.transData, facecolor="none", edgecolor="none")
            self._band(place.path, clip, color, zorder=4, linestyle=(0, (4, 3)) if entry.get("u") else "solid")
            stripe = law["colors"].get(entry.get("nc")) if entry.get("p") else None
            if stripe:  # the new law's colour in the gaps: a law not yet in force that day
                self._band(place.path, clip, stripe, zorder=4.1, linestyle=(0, (3, 3)))

    def _band(self, path: Path, clip: PathPatch, color: str, zorder: float, linestyle: str | tuple) -> None:
        """One law band: a thick stroke along ``path``, clipped to the state (``clip``)."""
        band = PathPatch(
            path, facecolor="none", edgecolor=color, linewidth=3.2, alpha=0.95, zorder=zorder, linestyle=linestyle, capstyle="butt"
        )
        self.ax.add_patch(band)
        band.set_clip_path(clip)

    def _draw_markers(self, markers: dict) -> None:
        statewide = markers.get("statewide") or []
        if statewide:
            lat, lon = np.array([[m[0], m[1]] for m in statewide]).T
            self.ax.scatter(lon, _merc_y(lat), marker="D", s=46, c=STATEWIDE_FILL, edgecolors="white", linewidths=1.2, zorder=6)
        pending = markers.get("pending") or []
        if pending:
            lat, lon = np.array([[m[0], m[1]] for m in pending]).T
            self.ax.scatter(lon, _merc_y(lat), marker="o", s=42, facecolors="none", edgecolors=PENDING_COLOR, linewidths=1.6, zorder=6)


# ---------------------------------------------------------------------------------------------- legends


@dataclass
class _LegendBlock:
    """One legend section laid out for the legend column: its title, keys and notes, wrapped."""

    title: list[str]
    items: list[tuple[dict, list[str]]]
    notes: list[str]

    @property
    def height(self) -> float:
        rows = sum(max(len(lines), 1) for _, lines in self.items)
        return 0.22 * len(self.title) + 0.22 * rows + 0.17 * len(self.notes) + 0.08

    def draw(self, picture: MapPicture, x: float, y: float) -> float:
        for line in self.title:
            y -= 0.22
            picture._text(x, y, line, 10.5, weight="bold")
        for item, lines in self.items:
            y -= 0.22
            _legend_key(picture, item, x, y)
            for i, line in enumerate(lines or [""]):
                picture._text(x + 0.32, y - 0.22 * i, line, 10)
            y -= 0.22 * (max(len(lines), 1) - 1)
        for note in self.notes:
            y -= 0.17
            picture._text(x, y, note, 8.5, color=GREY_TEXT)
        return y - 0.08


def _legend_block(section: dict) -> _LegendBlock:
    title = textwrap.wrap(str(section.get("title", "")), 34)
    items = [(item, textwrap.wrap(_printed(str(item.get("label", ""))), 36)) for item in section.get("items") or []]
    notes = [line for note in section.get("notes") or [] for line in textwrap.wrap(str(note), 46)]
    return _LegendBlock(title, items, notes)


def _printed(label: str) -> str:
    """A legend label for paper: the browser's hints to hover or click have no use there."""
    for hint in HINTS:
        label = label.replace(hint, "").replace(_(hint), "")
    return label


# The browser's hints in legend labels (msgids: their translation is stripped too).
HINTS = (N_(": hover for names"), N_(" (hover for names)"), N_(": click for the law"))


def _legend_key(picture: MapPicture, item: dict, x: float, y: float) -> None:
    """The key of one legend row, drawn in figure inches left of its label (baseline ``y``)."""
    fig, height = picture.figure, picture._height
    box = (x / WIDTH_IN, (y - 0.02) / height, 0.22 / WIDTH_IN, 0.15 / height)
    if item.get("fill"):
        fig.add_artist(
            Rectangle(box[:2], box[2], box[3], transform=fig.transFigure, facecolor=item["fill"], edgecolor=AREA_EDGE, linewidth=0.6)
        )
    elif item.get("diamond"):
        fig.add_artist(
            Line2D(
                [(x + 0.11) / WIDTH_IN],
                [(y + 0.055) / height],
                transform=fig.transFigure,
                marker="D",
                markersize=6.5,
                markerfacecolor=item["diamond"],
                markeredgecolor="white",
                markeredgewidth=1,
                linestyle="none",
            )
        )
    elif item.get("circle"):
        fig.add_artist(
            Line2D(
                [(x + 0.11) / WIDTH_IN],
                [(y + 0.055) / height],
                transform=fig.transFigure,
                marker="o",
                markersize=7,
                markerfacecolor="none",
                markeredgecolor=item["circle"],
                markeredgewidth=1.6,
                linestyle="none",
            )
        )
    elif "band" in item:
        band = item.get("band")
        fig.add_artist(
            Rectangle(
                box[:2],
                box[2],
                box[3],
                transform=fig.transFigure,
                facecolor="#f4f4f4",
                edgecolor=band or "#bbbbbb",
                linewidth=2.4 if band else 0.6,
                linestyle=(0, (3, 2)) if item.get("dash") else "solid",
            )
        )
        if item.get("stripe"):  # the new law's colour over the band of the status that stood
            fig.add_artist(
                Rectangle(
                    box[:2],
                    box[2],
                    box[3],
                    transform=fig.transFigure,
                    facecolor="none",
                    edgecolor=item["stripe"],
                    linewidth=2.4,
                    linestyle=(0, (2, 2)),
                )
            )
