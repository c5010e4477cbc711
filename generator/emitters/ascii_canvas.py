"""A character canvas for box-drawing diagrams: put text at (x, y), draw boxes and lines."""

from __future__ import annotations

WIDTH = 100  # every ASCII diagram fits here: markdown code blocks, terminals, diffs
BOX = 20  # default box width, borders included


def clean(text: str, width: int) -> str:
    """One line of spec text, control characters blanked, cut to `width` with an ellipsis."""
    text = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


class Canvas:
    def __init__(self) -> None:
        self.rows: list[list[str]] = []

    def put(self, x: int, y: int, text: str) -> None:
        while len(self.rows) <= y:
            self.rows.append([])
        row = self.rows[y]
        row.extend(" " * (x + len(text) - len(row)))
        row[x : x + len(text)] = text

    def box(self, x: int, y: int, lines: list[str], width: int = BOX, title: str = "") -> None:
        top = f"─ {title} " if title else ""
        self.put(x, y, "┌" + top + "─" * (width - 2 - len(top)) + "┐")
        for i, line in enumerate(lines, 1):
            self.put(x, y + i, "│ " + clean(line, width - 4).ljust(width - 4) + " │")
        self.put(x, y + len(lines) + 1, "└" + "─" * (width - 2) + "┘")

    def vline(self, x: int, y0: int, y1: int, char: str = "│") -> None:
        for y in range(y0, y1 + 1):
            self.put(x, y, char)

    def text(self) -> str:
        return "\n".join("".join(r).rstrip() for r in self.rows) + "\n"
