"""`make bench` part "pictures": map pictures, the spread's clip and the slider map's payload.

* ``render_png_s`` / ``render_svg_s``: the national county map as the app's Home shows it (counts, statewide
  agencies, the law band; newest sheet) drawn by :func:`mapcore.render.picture.render_map`, spec included,
  median of ``runs`` in this process after one warm-up (the geometry decoded once per process, as in the
  app). ``render_png_bytes`` / ``render_svg_bytes`` / ``render_png_width``: the files.
* ``render_cli_png_s`` / ``render_cli_svg_s``: the whole command ``mapcore render --format png|svg`` in a
  fresh process (imports, dataset load from the cache, map, file), median of ``runs``; ``..._cpu_s``: its
  CPU time (user + system), which the load of a shared machine does not inflate.
* ``spread_gif_s`` / ``spread_gif_frames`` / ``spread_gif_bytes``: the national spread, month by month,
  as the Timeline's download makes it (steps counted, frames drawn, GIF encoded); ``spread_mp4_s`` /
  ``spread_mp4_bytes`` when the MP4 encoder (imageio-ffmpeg) is installed.
* ``spread_payload_bytes``: what the Timeline's slider map sends a browser on its first view: the spec's
  values with every frame, plus its geometry files (``spread_values_bytes`` alone); the same for the
  largest state stepping through every day (``spread_state_payload_bytes``, ``spread_state``).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import median_seconds


def bench_pictures(folder: Path, cache: Path, runs: int = 3) -> dict:
    from PIL import Image

    from mapcore.analysis import query
    from mapcore.analysis.spread import DAILY, MONTHLY, spread
    from mapcore.app.data import assemble
    from mapcore.build import store
    from mapcore.render import animation, maps, picture
    from mapcore.render.caption import caption_for, spread_caption

    data = assemble(store.load(cache=cache))
    latest = data.latest_id()
    rows = data.publication(latest)
    when = data.publication_date(latest)
    statewide = rows[rows["level"].astype("object") == "statewide"]
    out: dict = {}
    files: dict[str, bytes] = {}

    def draw(fmt: str) -> None:
        spec = maps.county_map(query.county_summary(rows), laws=data.laws_on(latest), statewide=statewide, show_law=True)
        files[fmt] = picture.render_map(spec, caption_for(spec.args["name"], None, when, law_shown=True), fmt)

    draw("png")  # warm-up: matplotlib's fonts, the geometry decoded
    for fmt in ("png", "svg"):
        out[f"render_{fmt}_s"] = median_seconds(lambda fmt=fmt: draw(fmt), runs)
        out[f"render_{fmt}_bytes"] = len(files[fmt])
    out["render_png_width"] = Image.open(__import__("io").BytesIO(files["png"])).width

    env = {**os.environ, "MAPCORE_CACHE": str(cache)}
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("png", "svg"):
            command = [
                sys.executable,
                "-m",
                "mapcore",
                "render",
                "--source",
                str(folder),
                "--law",
                "--format",
                fmt,
                "-o",
                str(Path(tmp) / f"national.{fmt}"),
            ]
            cpu: list[float] = []

            def run(command=command, cpu=cpu) -> None:
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                subprocess.run(command, env=env, check=True, capture_output=True)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)

            out[f"render_cli_{fmt}_s"] = median_seconds(run, runs)
            out[f"render_cli_{fmt}_cpu_s"] = statistics.median(cpu)

    holder: dict = {}

    def gif() -> None:
        steps = spread(data.agreements, data.sheets, (), MONTHLY)
        spec = maps.spread_map(steps)
        holder["spec"] = spec
        holder["caption"] = spread_caption(steps[0].label, steps[-1].label, MONTHLY)
        holder["gif"] = animation.animate(spec, holder["caption"], "gif")

    out["spread_gif_s"] = median_seconds(gif, 1 if runs < 3 else 3)
    spec = holder["spec"]
    out["spread_gif_frames"] = Image.open(__import__("io").BytesIO(holder["gif"])).n_frames
    out["spread_gif_bytes"] = len(holder["gif"])
    if animation.video_available():
        start = time.perf_counter()
        mp4 = animation.animate(spec, holder["caption"], "mp4")  # the same frames and caption as the GIF
        out["spread_mp4_s"] = time.perf_counter() - start
        out["spread_mp4_bytes"] = len(mp4)
    values = len(spec.to_json().encode())
    out["spread_values_bytes"] = values
    out["spread_payload_bytes"] = values + sum(len(f.text.encode()) for f in spec.files)

    busiest = str(rows["state"].astype("object").value_counts().index[0])
    state_spec = maps.spread_map(spread(data.agreements, data.sheets, (busiest,), DAILY), (busiest,))
    out["spread_state"] = busiest
    out["spread_state_frames"] = len(state_spec.args.get("frames", []))
    out["spread_state_payload_bytes"] = len(state_spec.to_json().encode()) + sum(len(f.text.encode()) for f in state_spec.files)
    return out
