"""How large a worksheet is as the cell reader will see it, counted from the XML before anything is loaded.

The values reader (calamine) places a cell by its own ``r`` attribute when it has one (``A1``, in any letter
case), else just after the previous cell of its row; a row without ``r`` follows the previous row. It
matches elements by their local name (``<c>``, ``<x:c>``), reads attribute values as written, and then
allocates rows x columns of the range its cells span: one cell at ``XFD1048576`` is 512 GB. So a check
must count the way it places, whatever the spelling (spaces around ``=``, single quotes, an ``r`` after
other attributes, no ``r`` at all) and whatever ``<dimension>`` claims (a writer may put anything there).

Two ways, one answer:

- the plain form every Excel and openpyxl sheet uses (``<c r="A1" s="3" t="s">``: each cell says where it
  goes) is counted by regular expressions over each piece (C speed, no Python per cell);
- any other spelling sends the part through a tokenizer that follows the XML as the reader does (tags with
  quoted attributes, comments, CDATA), after a quick count of every possible cell start, and replays its
  placement cell by cell.

Both stop as soon as a limit is passed, and both err on the side of counting more: a self-closing cell or
row, or a reference in a comment, counts as one (the reader skips them), so a sheet is never judged smaller
than the reader will make it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter, methodcaller

EXCEL_COLUMNS = 16_384  # XFD, the last column Excel has
_MAX_TOKEN = 16 << 20  # an element (or comment) longer than this is not a sheet's

_NAME = rb"""(?:[^\s<>/!?="':]+:)?"""  # an optional namespace prefix
_CELL_START = re.compile(rb"<" + _NAME + rb"c[\s/>]")  # every possible cell start, and more
_PREFIXED_CELL_START = re.compile(rb"""<[^\s<>/!?="':]+:c[\s/>]""")
# Every unprefixed cell start: a plain cell as Excel and openpyxl write it (r first, then only the other
# attributes a cell has, so no second r) gives its letters and row number; any other gives two empty groups.
_UNPREFIXED_CELL = re.compile(rb'<c(?: r="([A-Z]{1,3})([1-9][0-9]{0,6})"(?: (?:s|t|cm|vm|ph)="[^"]*")*/?>|[\s/>])')
_TOKEN = re.compile(
    rb"""
    [^<]+                                               # text
  | <!--.*?(?:-->|\Z)                                   # comment
  | <!\[CDATA\[.*?(?:\]\]>|\Z)                          # CDATA
  | <\?.*?(?:\?>|\Z)                                    # processing instruction
  | <![^>]*(?:>|\Z)                                     # doctype and the like
  | </(?:[^\s<>/!?="':]+:)?([^\s<>/!?="']+)\s*(?:>|\Z)   # end tag: 1 local name
  | <(?:[^\s<>/!?="':]+:)?([^\s<>/!?="']+)((?:[^>"']|"[^"]*"|'[^']*')*)(?:>|\Z)   # start tag: 2 local name, 3 attributes
  | <[^\s<>/!?="'](?:[^>"']|"[^"]*"|'[^']*')*(?:"[^"]*|'[^']*)\Z   # a tag whose quoted value goes on past the piece
  | <                                                   # a '<' that starts nothing the reader knows
""",
    re.S | re.X,
)
_ATTRIBUTE = re.compile(rb"""([^\s=/>"']+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REFERENCE = re.compile(rb"([A-Za-z]*)([0-9]+)")
_FIRST, _SECOND = itemgetter(0), itemgetter(1)
_SEVEN_WIDE = methodcaller("zfill", 7)


class Oversized(ValueError):
    """The part is larger than the limits; the message says how (without the file name)."""


class BadReference(ValueError):
    """A row or cell numbered 0: the reader's arithmetic would wrap to the last row it can address."""


@dataclass(frozen=True)
class Bounds:
    rows: int  # last row the range reaches
    cells: int  # rows x columns of that range, and the number of cell elements


@dataclass
class Extent:
    """The range the reader allocates for one worksheet part: last row and column (1-based) and how many
    cell elements it collects. Every addition is checked at once, so counting stops at the first excess."""

    bounds: Bounds
    rows: int = 0
    columns: int = 0
    cells: int = 0

    def grow(self, rows: int, columns: int, cells: int) -> None:
        self.rows, self.columns, self.cells = max(self.rows, rows), max(self.columns, columns), self.cells + cells
        if self.columns > EXCEL_COLUMNS:
            raise Oversized(f"a cell at column {self.columns:,} lies past Excel's last column (XFD, {EXCEL_COLUMNS:,})")
        if self.rows > self.bounds.rows:
            raise Oversized(f"{self.rows:,} rows is more than the {self.bounds.rows:,} an ICE sheet can plausibly hold")
        if self.rows * self.columns > self.bounds.cells:
            raise Oversized(
                f"{self.rows:,} rows x {self.columns:,} columns ({self.rows * self.columns:,} cells) is more than "
                f"the {self.bounds.cells:,} cells an ICE sheet can plausibly hold"
            )
        if self.cells > self.bounds.cells:
            raise Oversized(f"{self.cells:,} cell elements is more than the {self.bounds.cells:,} cells an ICE sheet can plausibly hold")


class Counter:
    """Counts one part fed piece by piece in order (each piece ending where a tag starts), the plain way while
    it can; :meth:`extent` then gives the answer, replaying the part when a piece was not plain."""

    def __init__(self, bounds: Bounds):
        self.bounds, self.plain, self.counted = bounds, True, Extent(bounds)

    def feed(self, data: bytes) -> None:
        """Count one more piece (a no-op once a piece was not plain: the replay counts everything)."""
        if self.plain:
            self.plain = _plain(data, self.counted)

    def extent(self, open_pieces: Callable[[], Iterable[bytes]]) -> Extent:
        """The extent; ``open_pieces`` gives the part's bytes again, from the start, for a replay."""
        if self.plain:
            return self.counted
        _count_starts(open_pieces(), self.bounds)
        return _replay(open_pieces(), self.bounds)


def measure(open_pieces: Callable[[], Iterable[bytes]], bounds: Bounds) -> Extent:
    """The extent of one XML part; ``open_pieces`` gives its bytes as successive pieces (any size), afresh on
    each call (an odd part is read again rather than held in memory). Raises :class:`Oversized` at the first
    excess and :class:`BadReference` for a row numbered 0."""
    counter = Counter(bounds)
    for data in _whole_tags(open_pieces()):
        counter.feed(data)
        if not counter.plain:
            break
    return counter.extent(open_pieces)


def _whole_tags(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """The pieces again, each ending before its last '<' (the rest waits for the next piece): no tag is split
    unless a quoted value holds a '<', and then the piece is not plain and the part is replayed."""
    tail = b""
    for chunk in pieces:
        if not chunk:
            continue
        data = tail + chunk
        cut = data.rfind(b"<")
        if cut < 0 or (cut == 0 and len(data) > _MAX_TOKEN):
            cut = len(data)
        data, tail = data[:cut], data[cut:]
        if data:
            yield data
    if tail:
        yield tail


def _plain(data: bytes, extent: Extent) -> bool:
    """Count a piece in which every cell is written the plain way (rows then do not matter: each cell says
    where it goes); False, with nothing counted, when one is not."""
    if b":c" in data and _PREFIXED_CELL_START.search(data):
        return False
    cells = _UNPREFIXED_CELL.findall(data) if b"<c" in data else None  # most parts have none: no regex runs
    if not cells:
        return True
    letters = set(map(_FIRST, cells))
    if b"" in letters:
        return False
    extent.grow(_largest_number(set(map(_SECOND, cells))), max(map(_column, letters)), len(cells))
    return True


def _count_starts(pieces: Iterable[bytes], bounds: Bounds) -> None:
    """Refuse early a part with more possible cell starts than the limit (at C speed, before the replay)."""
    starts = 0
    for data in _whole_tags(pieces):
        starts += len(_CELL_START.findall(data))
        if starts > bounds.cells:
            raise Oversized(f"more than {bounds.cells:,} cell elements, the most an ICE sheet can plausibly hold")


def _largest_number(numbers: set[bytes]) -> int:
    """The largest of decimal numbers of at most seven digits (compared as text once padded to seven)."""
    return int(max(map(_SEVEN_WIDE, numbers)))


def _column(letters: bytes) -> int:
    """1-based column of Excel column letters (any case); anything past four letters is past XFD anyway."""
    if len(letters) > 4:
        return EXCEL_COLUMNS + 1
    index = 0
    for letter in letters.upper():
        index = index * 26 + letter - 64
    return index


class _Placement:
    """The reader's cursor: the row (0-based) an r-less cell goes to and the column after the last cell."""

    def __init__(self, extent: Extent):
        self.extent, self.row, self.column = extent, 0, 0

    def start(self, local: bytes, attributes: bytes) -> None:
        if local == b"c":
            place = _cell_reference(_r_value(attributes))
            row, column = place if place is not None else (self.row, self.column)
            self.column = column + 1
            self.extent.grow(row + 1, column + 1, 1)
        elif local == b"row":
            reference = _r_value(attributes)
            if reference is not None and reference.isdigit():
                self.row = _row_number(reference) - 1
                self.extent.grow(self.row + 1, 0, 0)
            if attributes.rstrip().endswith(b"/"):
                self.end(b"row")

    def end(self, local: bytes) -> None:
        if local == b"row":
            self.row += 1
            self.column = 0


def _replay(pieces: Iterable[bytes], bounds: Bounds) -> Extent:
    """Count the part token by token, placing each cell as the reader does. A token that reaches the end of a
    piece (it may go on in the next) waits for the next piece."""
    extent = Extent(bounds)
    cursor = _Placement(extent)
    carry = b""
    for chunk in itertools.chain(_nonempty(pieces), [None]):  # streamed: one piece held at a time
        final = chunk is None
        data = carry + (chunk or b"")
        carry = b""
        for match in _TOKEN.finditer(data):
            if not final and match.end() == len(data):
                carry = data[match.start() :]
                if len(carry) > _MAX_TOKEN:
                    raise Oversized(f"an element or comment of more than {_MAX_TOKEN >> 20} MiB: not a sheet's")
                break
            end_name, start_name, attributes = match.group(1, 2, 3)
            if start_name is not None:
                cursor.start(start_name, attributes)
            elif end_name is not None:
                cursor.end(end_name)
    return extent


def _nonempty(pieces: Iterable[bytes]) -> Iterator[bytes]:
    return (piece for piece in pieces if piece)


def _r_value(attributes: bytes) -> bytes | None:
    """The value of the attribute named exactly ``r`` (not ``x:r``), as written: the reader does not decode
    entities in it either."""
    found = None
    for name, double, single in _ATTRIBUTE.findall(attributes):
        if name == b"r":
            found = single if single and not double else double
    return found


def _cell_reference(reference: bytes | None) -> tuple[int, int] | None:
    """(row, column), 0-based, of a cell reference as the reader parses it; None for none, or one the reader
    refuses (spaces, '$', entities: it stops reading there), which the caller places at the cursor."""
    match = _REFERENCE.fullmatch(reference) if reference is not None else None
    if match is None or not match.group(1):
        return None
    return _row_number(match.group(2)) - 1, _column(match.group(1)) - 1


def _row_number(digits: bytes) -> int:
    digits = digits.lstrip(b"0")
    if not digits:
        raise BadReference("a row numbered 0 (rows start at 1)")
    return int(digits) if len(digits) <= 15 else 10**15
