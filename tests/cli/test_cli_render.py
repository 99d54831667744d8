"""`mapcore render`: the filters of `mapcore export`, a picture, an SVG, an HTML file to embed, a GIF of the spread."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image
from sheetfactory import PARTICIPATING_8, make_sheet, row8

from mapcore.cli.main import _parser, main


@pytest.fixture
def source(tmp_path, monkeypatch):
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "sheets"
    make_sheet(folder / "participatingAgencies06022025am.xlsx", PARTICIPATING_8, [row8()])
    make_sheet(
        folder / "participatingAgencies07022025am.xlsx",
        PARTICIPATING_8,
        [
            row8(),
            row8(model="Task Force Model"),
            row8(agency="Dallas County Sheriff's Office", county="Dallas County", model="Task Force Model"),
            row8(state="FLORIDA", agency="Lee County Sheriff's Office", county="Lee County", model="Warrant Service Officer"),
        ],
    )
    return folder


def texts(svg: bytes) -> list[str]:
    return ["".join(t.itertext()) for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]


def test_render_and_export_take_the_same_filters():
    sub = next(a for a in _parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    options = {name: {o for a in sub.choices[name]._actions for o in a.option_strings} for name in ("export", "render")}
    assert {"--source", "--state", "--model", "--date", "-o"} <= options["export"] & options["render"]


def test_render_png_and_svg_of_a_filtered_state_view(source, tmp_path, capsys):
    png = tmp_path / "tx.png"
    assert main(["render", "--source", str(source), "--state", "tx", "--model", "TFM", "--format", "png", "-o", str(png)]) == 0
    assert "Model: TFM (Task Force) · State: TX" in capsys.readouterr().out
    assert Image.open(png).width >= 2000
    svg = tmp_path / "tx.svg"
    assert main(["render", "--source", str(source), "--state", "TX", "--model", "TFM", "--law", "--format", "svg", "-o", str(svg)]) == 0
    found = texts(svg.read_bytes())
    assert "Model: TFM (Task Force) · State: TX" in found
    source_line = next(t for t in found if t.startswith("Source:"))
    assert "sheet of 2025-07-02; state law as in force that day" in source_line


def test_render_date_picks_the_earlier_sheet(source, tmp_path):
    svg = tmp_path / "june.svg"
    assert main(["render", "--source", str(source), "--date", "2025-06-30", "--format", "svg", "-o", str(svg)]) == 0
    assert any("sheet of 2025-06-02" in t for t in texts(svg.read_bytes()))


def test_render_html_is_one_file_with_everything_inline(source, tmp_path):
    out = tmp_path / "map.html"
    assert main(["render", "--source", str(source), "--state", "FL", "--format", "html", "-o", str(out)]) == 0
    html = out.read_text()
    tags = re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html)
    assert len(tags) == 5 and not any(re.search(r"\s(?:src|href)=", tag) for tag in tags)  # nothing to fetch
    assert "sheet of 2025-07-02" in html and '"tiles":null' in html


def test_render_spread_gif_steps_through_the_sheets(source, tmp_path):
    out = tmp_path / "spread.gif"
    assert (
        main(["render", "--source", str(source), "--map", "spread", "--state", "TX", "--format", "gif", "--width", "500", "-o", str(out)])
        == 0
    )
    image = Image.open(io.BytesIO(out.read_bytes()))
    assert image.n_frames == 2 and image.width == 500  # one frame per day with a sheet, for one state


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--format", "gif"], "add --map spread"),
        (["--state", "ZZ"], "--state ZZ: no boundary"),
        (["--width", "50"], "--width 50"),
        (["--date", "someday"], ""),
    ],
)
def test_render_refuses_bad_options_with_exit_2(source, tmp_path, capsys, argv, message):
    assert main(["render", "--source", str(source), *argv, "-o", str(tmp_path / "x.png")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mapcore render: ") and message in err
    assert not (tmp_path / "x.png").exists()
