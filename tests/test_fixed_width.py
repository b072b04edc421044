"""Fixed-width text, generated in every arrangement: each row loads exactly as written or is reported."""

import random

from dashboard.ingest.text import read_text

VALUES = ["desk", "office desk", "lamp", "1 234,50", "12 345,00", "9,00", "Bo Li", "East", "张三", "欧阳娜娜", "C1", ""]


def width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def table(seed: int) -> tuple[list[str], list[list[str]], str]:
    """Columns left or right aligned, two or three blanks apart, values with blanks, empty cells, Chinese."""
    rnd = random.Random(seed)
    header = [f"col{i}" for i in range(rnd.randint(2, 5))]
    rows = [[rnd.choice(VALUES) for _ in header] for _ in range(rnd.randint(2, 6))]
    for row in rows:
        row[0] = row[0] or "X"
    widths = [max(width(v) for v in [header[i]] + [r[i] for r in rows]) for i in range(len(header))]
    right = [rnd.random() < 0.4 for _ in header]
    gap = " " * rnd.choice([2, 3])

    def line(values):
        padded = zip(values, widths, right, strict=True)
        cells = [" " * (w - width(v)) + v if r else v + " " * (w - width(v)) for v, w, r in padded]
        return gap.join(cells).rstrip()

    return header, rows, "\n".join([line(header)] + [line(r) for r in rows]) + "\n"


def test_generated_fixed_width_tables_load_exactly_or_are_reported():
    checked = 0
    for seed in range(300):
        header, rows, text = table(seed)
        raw = read_text(text.encode("utf-8"))
        assert raw.table.column_names == header, text
        numbers = raw.numbers or list(range(2, raw.table.num_rows + 2))
        got = dict(zip(numbers, raw.table.to_pylist(), strict=True))
        reported = {n for n, *_ in raw.bad_rows}
        for i, row in enumerate(rows):
            if i + 2 in reported:
                continue
            assert [got[i + 2][h] for h in header] == row, text
            checked += 1
    assert checked > 1000
