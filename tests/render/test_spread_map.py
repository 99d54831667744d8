"""The spread over time: a map spec with frames (values only, one geometry), and its GIF and MP4."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from PIL import Image

from mapcore.analysis.spread import Step
from mapcore.render import animation, maps, picture
from mapcore.render.caption import spread_caption
from mapcore.render.maps import COUNT_COLORS, EMPTY_FILL


def step(date: str, counties: dict[str, int], total: int) -> Step:
    frame = pd.DataFrame({"county_fips": list(counties), "agreements": list(counties.values()), "models": ["JEM"] * len(counties)})
    return Step(f"{date}/x", pd.Timestamp(date), frame, total)


STEPS = [
    step("2025-03-31", {"48201": 1}, 2),
    step("2025-04-30", {"48201": 3, "48113": 1}, 5),
    step("2025-05-30", {"48201": 9, "48113": 2, "12031": 1}, 14),
]


def test_frame_dates_are_written_as_the_page_writes_them_so_the_gif_speaks_spanish():
    """A Spanish page says '30 abr 2025'; its slider and the GIF made from the same spec must not say '2025-04-30'."""
    from mapcore.core import i18n

    with i18n.using_language("es"):
        spec = maps.spread_map(STEPS)
    assert [f["label"] for f in spec.args["frames"]] == ["31 mar 2025", "30 abr 2025", "30 may 2025"]
    assert spec.args["frameTitle"] == "Hoja de ICE del" and spec.args["ui"]["lang"] == "es"
    drawn: list[str] = []
    original = picture.MapPicture.set_values

    def recording(self, values, label="", note=""):
        drawn.append(label)
        return original(self, values, label, note)

    picture.MapPicture.set_values = recording
    try:
        with i18n.using_language("es"):
            list(animation.frame_images(spec, spread_caption("2025-03-31", "2025-05-30"), width_px=300))
    finally:
        picture.MapPicture.set_values = original
    assert drawn[-3:] == ["31 mar 2025", "30 abr 2025", "30 may 2025"]  # each GIF frame's date


def test_frames_carry_values_only_and_the_newest_is_shown_first():
    spec = maps.spread_map(STEPS)
    frames = spec.args["frames"]
    assert [f["label"] for f in frames] == ["2025-03-31", "2025-04-30", "2025-05-30"]
    assert frames[0]["values"] == {"48201": [0, "1 agreement: JEM"]}
    assert frames[2]["values"]["48201"] == [3, "9 agreements: JEM"]
    assert frames[1]["note"] == "5 agreements listed · 2 counties with one"
    assert spec.args["frame"] == 2 and spec.args["areas"]["values"] == frames[2]["values"]
    assert [f.name for f in spec.files] == [
        f.name for f in maps.county_map(pd.DataFrame(columns=["county_fips", "agreements", "models", "agencies"])).files
    ]  # the count map's geometry, loaded once
    assert all(set(f) == {"label", "note", "values"} for f in frames)
    assert "Harris" not in json.dumps(frames)  # no agency names in the frames: they stay small


def test_a_state_spread_keeps_its_counties_only():
    spec = maps.spread_map(STEPS, ("TX",))
    assert all(set(f["values"]) <= {"48201", "48113"} for f in spec.args["frames"])
    assert spec.args["areas"]["focus"] == ["TX"] and spec.args["view"]["key"] == "counties:TX:spread"


def test_no_step_gives_an_empty_map_without_frames():
    spec = maps.spread_map([])
    assert "frames" not in spec.args and spec.args["empty"]


def gif_frames(data: bytes) -> list[Image.Image]:
    image = Image.open(io.BytesIO(data))
    out = []
    for i in range(image.n_frames):
        image.seek(i)
        out.append(image.convert("RGB"))
    return out


def test_gif_has_one_frame_per_step_each_with_its_colours():
    spec = maps.spread_map(STEPS, ("TX",))
    caption = spread_caption("2025-03-31", "2025-05-30", "day")
    data = animation.animate(spec, caption, "gif", width_px=600, frame_ms=500, hold_last_ms=1500)
    frames = gif_frames(data)
    assert len(frames) == 3 and frames[0].width == 600
    durations = []
    image = Image.open(io.BytesIO(data))
    for i in range(image.n_frames):
        image.seek(i)
        durations.append(image.info["duration"])
    assert durations == [500, 500, 1500]
    # Dallas (48113): none on the first sheet, one on the second; Harris 1 -> 3 -> 9.
    drawn = picture.MapPicture(spec, caption, stamp=True)
    drawn.rgb(600)
    scale = 600 / (drawn.figure.get_figwidth() * drawn.figure.dpi)

    def colour(frame: Image.Image, lon: float, lat: float) -> tuple:
        import numpy as np

        x, y = drawn.ax.transData.transform((lon, float(picture._merc_y(np.array([lat]))[0])))
        return frame.getpixel((int(round(x * scale)), int(round(frame.height - y * scale))))

    def rgb(color: str) -> tuple:
        from matplotlib.colors import to_rgb

        return tuple(int(round(255 * c)) for c in to_rgb(color))

    dallas, harris = (-96.78, 32.77), (-95.40, 29.85)
    assert [colour(f, *dallas) for f in frames] == [rgb(EMPTY_FILL), rgb(COUNT_COLORS[0]), rgb(COUNT_COLORS[1])]
    assert [colour(f, *harris) for f in frames] == [rgb(COUNT_COLORS[0]), rgb(COUNT_COLORS[1]), rgb(COUNT_COLORS[3])]


def test_a_map_without_frames_cannot_be_animated_and_formats_are_checked():
    with pytest.raises(ValueError, match="no frames"):
        animation.animate(maps.spread_map([]), spread_caption("a", "b"))
    with pytest.raises(ValueError, match="animation format"):
        animation.animate(maps.spread_map(STEPS), spread_caption("a", "b"), "avi")


def test_mp4_is_an_h264_file_of_the_same_frames():
    pytest.importorskip("imageio_ffmpeg", reason="MP4 needs the optional extra mapcore[video] (make installs it)")
    assert animation.video_available()
    data = animation.animate(
        maps.spread_map(STEPS, ("TX",)),
        spread_caption("2025-03-31", "2025-05-30", "day"),
        "mp4",
        width_px=400,
        frame_ms=500,
        hold_last_ms=1000,
    )
    assert data[4:8] == b"ftyp" and b"avc1" in data[:4096]
    import tempfile

    import imageio_ffmpeg

    with tempfile.NamedTemporaryFile(suffix=".mp4") as handle:
        handle.write(data)
        handle.flush()
        frames, seconds = imageio_ffmpeg.count_frames_and_secs(handle.name)
    assert frames == 5 + 5 + 10 and seconds == pytest.approx(2.0, abs=0.15)  # 0.5 s, 0.5 s, then 1 s held, at 10 fps


# --------------------------------------------------------------------------- a budget for pictures


def many_steps(count: int) -> list[Step]:
    return [step(f"{pd.Timestamp('2025-01-01') + pd.Timedelta(days=i):%Y-%m-%d}", {"48201": i + 1}, i + 1) for i in range(count)]


def test_an_animation_past_its_pixel_budget_is_refused_before_a_frame_is_drawn(monkeypatch):
    """`render --map spread --every day --state TX --width 8000` took 16 s and 6.3 GB: frames x pixels are
    budgeted, with a message that says what fits."""
    monkeypatch.setattr(picture, "MapPicture", lambda *a, **k: pytest.fail("drawn before the budget was checked"))
    spec = maps.spread_map(many_steps(168), ("TX",))
    with pytest.raises(animation.TooLarge) as refused:
        animation.animate(spec, spread_caption("2025-01-01", "2025-06-17", "day"), "gif", width_px=8000)
    assert str(refused.value) == (
        "an animation of 168 frames 8,000 px wide (168 x 8,000 x 8,000 = 10,752 million pixels) "
        "is more than the 400 million one may take: at most 1,542 px wide for 168 frames, or fewer frames"
    )
    assert animation.budget(168, 1_542).fits and not animation.budget(168, 1_544).fits
    assert animation.budget(168, animation.WIDTH_PX).fits  # the app's default: a state's 168 days fit


def test_render_past_the_budget_is_a_named_exit_2(tmp_path, monkeypatch, capsys):
    from sheetfactory import PARTICIPATING_8, make_sheet, row8

    from mapcore.cli.main import main

    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(animation, "MAX_PIXELS", 3 * 1_000 * 1_000)  # three sheets at 1,000 px fit, not at 1,200
    for n, day in enumerate(("06022025", "07022025", "08022025")):
        make_sheet(
            tmp_path / "sheets" / f"participatingAgencies{day}am.xlsx", PARTICIPATING_8, [row8(agency=f"Agency {i}") for i in range(n + 1)]
        )
    argv = [
        "render",
        "--source",
        str(tmp_path / "sheets"),
        "--map",
        "spread",
        "--every",
        "day",
        "--state",
        "TX",
        "--format",
        "gif",
        "-o",
        str(tmp_path / "tx.gif"),
    ]
    assert main([*argv, "--width", "1200"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        "mapcore render: an animation of 3 frames 1,200 px wide (3 x 1,200 x 1,200 = 4 million pixels) is more "
        "than the 3 million one may take: at most 1,000 px wide for 3 frames, or fewer frames"
    )
    assert not (tmp_path / "tx.gif").exists()
    assert main([*argv, "--width", "1000"]) == 0 and (tmp_path / "tx.gif").stat().st_size > 0
