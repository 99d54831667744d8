"""The spread over time as a clip: an animated GIF (Pillow) or an MP4 (ffmpeg from ``imageio-ffmpeg``).

Each frame is the picture renderer's figure (:class:`mapcore.render.picture.MapPicture`) for one frame
of a :func:`mapcore.render.maps.spread_map` spec: the figure is laid out once and only the counties'
colours, the date and the running count change between frames, so a clip costs little more than its
frames' rasterisation.

The MP4 encoder is ffmpeg as shipped inside the PyPI package ``imageio-ffmpeg`` (an optional extra,
``mapcore[video]``); :func:`video_available` says whether it is installed, and the GIF needs nothing
beyond matplotlib's Pillow.
"""

from __future__ import annotations

import io
import itertools
import math
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from mapcore.render.caption import Caption
from mapcore.render.maps import EMPTY_FILL, MapSpec

FORMATS = ("gif", "mp4")
# frames x width x width (an upper bound of the pixels: every map picture is wider than tall). 400 million is a
# state's every sheet (168 days) at the default width with room to grow, or fifteen months 5,000 px wide; the
# frames are made one at a time and a GIF keeps one byte a pixel, so this is about what one animation may hold.
MAX_PIXELS = 400_000_000
MIME = {"gif": "image/gif", "mp4": "video/mp4"}
WIDTH_PX = 1200  # a social post or a slide; the PNG of one map is 2400
FRAME_MS = 800
HOLD_LAST_MS = 2500
VIDEO_FPS = 10


def video_available() -> bool:
    """Whether an MP4 encoder is installed (``pip install mapcore[video]``)."""
    try:
        import imageio_ffmpeg

        return bool(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError):
        return False


class TooLarge(ValueError):
    """An animation past :data:`MAX_PIXELS`; the message says what would fit."""


@dataclass(frozen=True)
class Budget:
    """What an animation of ``frames`` frames ``width_px`` wide takes, against :data:`MAX_PIXELS` (facts: the
    app words them in the reader's language)."""

    frames: int
    width_px: int

    @property
    def pixels(self) -> int:
        return self.frames * self.width_px * self.width_px

    @property
    def fits(self) -> bool:
        return self.pixels <= MAX_PIXELS

    @property
    def widest_px(self) -> int:
        """The widest (even) width at which these frames fit."""
        return math.isqrt(MAX_PIXELS // max(self.frames, 1)) // 2 * 2


def budget(frames: int, width_px: int = WIDTH_PX) -> Budget:
    return Budget(frames, width_px)


def animate(
    spec: MapSpec, caption: Caption, fmt: str = "gif", width_px: int = WIDTH_PX, frame_ms: int = FRAME_MS, hold_last_ms: int = HOLD_LAST_MS
) -> bytes:
    """Every frame of ``spec`` (oldest first), each with its date and running count, as one clip. Raises
    :class:`TooLarge`, before anything is drawn, past the pixel budget."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown animation format {fmt!r}; expected one of {', '.join(FORMATS)}")
    frames = spec.args.get("frames") or []
    if not frames:
        raise ValueError("this map has no frames to animate (build it with maps.spread_map)")
    cost = budget(len(frames), width_px)
    if not cost.fits:
        raise TooLarge(
            f"an animation of {cost.frames:,} frames {width_px:,} px wide ({cost.frames:,} x {width_px:,} x "
            f"{width_px:,} = {cost.pixels / 1e6:,.0f} million pixels) is more than the {MAX_PIXELS / 1e6:,.0f} "
            f"million one may take: at most {cost.widest_px:,} px wide for {cost.frames:,} frames, or fewer frames"
        )
    if fmt == "gif":
        return _gif(spec, caption, width_px, frame_ms, hold_last_ms)
    return _mp4(frame_images(spec, caption, width_px), len(frames), frame_ms, hold_last_ms)


def frame_images(spec: MapSpec, caption: Caption, width_px: int = WIDTH_PX, order: list[int] | None = None):
    """Each frame (oldest first, or in ``order``) as an RGB array ``width_px`` wide (even sizes), made one at a
    time: a caller that does not keep them holds one frame at most."""
    from mapcore.render.picture import MapPicture  # matplotlib, on first use

    picture = MapPicture(spec, caption, stamp=True)
    frames = spec.args["frames"]
    for index in order if order is not None else range(len(frames)):
        frame = frames[index]
        picture.set_values(frame["values"], frame.get("label", ""), frame.get("note", ""))
        yield picture.rgb(width_px)


def _gif(spec: MapSpec, caption: Caption, width_px: int, frame_ms: int, hold_last_ms: int) -> bytes:
    """One palette for every frame, no dithering: the map's own colours exactly, the rest (anti-aliased edges
    and text) from the newest frame, which is drawn first; flat colours stay flat, and Pillow stores only what
    changes from frame to frame. Each frame is kept at one byte a pixel once drawn."""
    from PIL import Image

    count = len(spec.args["frames"])
    images = frame_images(spec, caption, width_px, order=[count - 1, *range(count - 1)])
    newest = Image.fromarray(next(images))
    palette = _palette(newest, picture_colors(spec))
    frames = [Image.fromarray(image).quantize(palette=palette, dither=Image.Dither.NONE) for image in images]
    frames.append(newest.quantize(palette=palette, dither=Image.Dither.NONE))
    del newest
    durations = [frame_ms] * (len(frames) - 1) + [max(frame_ms, hold_last_ms)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=durations, loop=0, optimize=True, disposal=1)
    return buffer.getvalue()


def picture_colors(spec: MapSpec) -> list[str]:
    """Every flat colour a frame of ``spec`` draws: its palette, the empty fill, the page and text colours."""
    from mapcore.render.picture import FLAT_COLORS

    areas = spec.args["areas"]
    return [*areas["palette"], areas.get("empty", EMPTY_FILL), *FLAT_COLORS]


def _palette(image, known: list[str]):
    from PIL import Image, ImageColor

    exact = np.array(list(dict.fromkeys(ImageColor.getrgb(c)[:3] for c in known)), dtype=int)
    adaptive = image.quantize(colors=256 - len(exact), method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    rest = np.array(adaptive.getpalette()[: 3 * (256 - len(exact))], dtype=int).reshape(-1, 3)
    # Pillow matches a pixel to a palette entry at reduced precision: an adaptive colour next to an
    # exact one would win for it (white drawn as 252 grey), so those are left out.
    near = np.abs(rest[:, None, :] - exact[None, :, :]).max(axis=2).min(axis=1) <= 12
    flat = [int(v) for v in np.vstack([exact, rest[~near]]).ravel()]
    holder = Image.new("P", (1, 1))
    holder.putpalette(flat + [0] * (768 - len(flat)))
    return holder


def _mp4(images: Iterator[np.ndarray], count: int, frame_ms: int, hold_last_ms: int) -> bytes:
    """H.264 (yuv420p, plays everywhere) at a fixed frame rate: each map repeated for its duration, sent to the
    encoder as it is drawn (one frame held at a time)."""
    try:
        import imageio_ffmpeg
    except ImportError as exc:
        raise RuntimeError("MP4 needs the optional package imageio-ffmpeg (pip install 'mapcore[video]')") from exc
    first = next(images)
    images = itertools.chain([first], images)
    height, width = first.shape[:2]
    del first
    repeats = [max(1, round(frame_ms * VIDEO_FPS / 1000))] * (count - 1) + [max(1, round(hold_last_ms * VIDEO_FPS / 1000))]
    handle, path = tempfile.mkstemp(suffix=".mp4")
    os.close(handle)
    try:
        writer = imageio_ffmpeg.write_frames(
            path,
            (width, height),
            fps=VIDEO_FPS,
            codec="libx264",
            pix_fmt_out="yuv420p",
            macro_block_size=2,
            quality=None,
            bitrate=None,
            output_params=["-crf", "23", "-preset", "medium", "-movflags", "+faststart"],
            ffmpeg_log_level="error",
        )
        writer.send(None)
        for image, times in zip(images, repeats):
            data = np.ascontiguousarray(image[:height, :width])
            for _ in range(times):
                writer.send(data)
        writer.close()
        with open(path, "rb") as handle_in:
            return handle_in.read()
    finally:
        os.unlink(path)
