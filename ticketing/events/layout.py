"""Pure functions that turn a zone's settings into seats and tables with map coordinates.

No database access here: services diff what these return against what exists, so editing a
zone never touches a seat that is sold or held.
"""

from dataclasses import dataclass
from math import cos, pi, sin

SEAT_SPACING = 12.0  # SVG user units between seat centres
ROW_SPACING = 14.0
ZONE_PADDING = 10.0
TABLE_RADIUS = 14.0
CHAIR_DISTANCE = 22.0
TABLE_SPACING = 64.0


@dataclass(frozen=True)
class SeatSpec:
    row_index: int  # 1-based; for chairs, the table number
    row_label: str
    number: int
    x: float
    y: float
    table_number: int | None = None


@dataclass(frozen=True)
class TableSpec:
    number: int
    chairs: int
    x: float
    y: float


def letters_label(index: int) -> str:
    """1 → A, 26 → Z, 27 → AA, 28 → AB … (spreadsheet-style)."""
    if index < 1:
        raise ValueError("row indexes start at 1")
    label = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        label = chr(ord("A") + remainder) + label
    return label


def row_label(index: int, style: str) -> str:
    return letters_label(index) if style == "letters" else str(index)


def row_index_from_label(label: str, style: str) -> int | None:
    """Inverse of row_label, for forms where a manager types "C" or "12"."""
    label = label.strip().upper()
    if style != "letters":
        return int(label) if label.isascii() and label.isdigit() and int(label) > 0 else None
    if not label.isalpha() or not label.isascii():
        return None
    index = 0
    for char in label:
        index = index * 26 + (ord(char) - ord("A") + 1)
    return index


def seat_numbers(count: int, numbering: str) -> list[int]:
    """Seat numbers from left to right as the audience faces the stage.

    Odd/even from the centre (common in Venezuelan theatres): odd numbers to the left of the
    centre, even to the right, 1 and 2 in the middle: 9 7 5 3 1 2 4 6 8 10.
    """
    if numbering != "odd_even":
        return list(range(1, count + 1))
    odds = [n for n in range(1, count + 1) if n % 2 == 1]
    evens = [n for n in range(1, count + 1) if n % 2 == 0]
    return list(reversed(odds)) + evens


def seats_in_row(row_index: int, seats_per_row: int, overrides: dict) -> int:
    return int(overrides.get(str(row_index), seats_per_row))


def numbered_layout(
    *,
    rows: int,
    seats_per_row: int,
    row_labels: str,
    numbering: str,
    overrides: dict,
    origin: tuple[float, float],
) -> list[SeatSpec]:
    """Rows top to bottom (row 1 nearest the stage), each centred on the widest row."""
    counts = [seats_in_row(r, seats_per_row, overrides) for r in range(1, rows + 1)]
    widest = max(counts) if counts else 0
    x0, y0 = origin
    seats = []
    for row_index, count in enumerate(counts, start=1):
        label = row_label(row_index, row_labels)
        offset = (widest - count) * SEAT_SPACING / 2
        y = y0 + ZONE_PADDING + (row_index - 1) * ROW_SPACING + ROW_SPACING / 2
        for column, number in enumerate(seat_numbers(count, numbering)):
            x = x0 + ZONE_PADDING + offset + column * SEAT_SPACING + SEAT_SPACING / 2
            seats.append(SeatSpec(row_index, label, number, round(x, 1), round(y, 1)))
    return seats


def numbered_size(*, rows: int, seats_per_row: int, overrides: dict) -> tuple[int, int]:
    widest = max([seats_in_row(r, seats_per_row, overrides) for r in range(1, rows + 1)] or [0])
    return int(widest * SEAT_SPACING + 2 * ZONE_PADDING), int(rows * ROW_SPACING + 2 * ZONE_PADDING)


def tables_layout(
    *, tables: int, chairs_per_table: int, origin: tuple[float, float], per_line: int | None = None
) -> tuple[list[TableSpec], list[SeatSpec]]:
    """Tables in a grid, chairs evenly around each table."""
    per_line = per_line or max(1, min(tables, 8))
    x0, y0 = origin
    table_specs, chair_specs = [], []
    for index in range(tables):
        number = index + 1
        line, column = divmod(index, per_line)
        cx = x0 + ZONE_PADDING + TABLE_SPACING / 2 + column * TABLE_SPACING
        cy = y0 + ZONE_PADDING + TABLE_SPACING / 2 + line * TABLE_SPACING
        table_specs.append(TableSpec(number, chairs_per_table, round(cx, 1), round(cy, 1)))
        for chair in range(1, chairs_per_table + 1):
            angle = 2 * pi * (chair - 1) / chairs_per_table - pi / 2
            chair_specs.append(
                SeatSpec(
                    row_index=number,
                    row_label=str(number),
                    number=chair,
                    x=round(cx + CHAIR_DISTANCE * cos(angle), 1),
                    y=round(cy + CHAIR_DISTANCE * sin(angle), 1),
                    table_number=number,
                )
            )
    return table_specs, chair_specs


def tables_size(*, tables: int, per_line: int | None = None) -> tuple[int, int]:
    per_line = per_line or max(1, min(tables, 8))
    lines = -(-tables // per_line)
    return int(per_line * TABLE_SPACING + 2 * ZONE_PADDING), int(lines * TABLE_SPACING + 2 * ZONE_PADDING)
