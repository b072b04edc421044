"""The encoding of a text export, decided from the file as a whole, and its lines decoded with it.

A file is in the encoding most of its lines are in. Exports are assembled from pieces (a UTF-8 file with rows
pasted from a GBK one, an old system's GBK file with a UTF-8 row typed in later): the lines that are not in the
file's encoding are not decoded into mojibake but marked (:data:`MARK` in place of each byte that is not ASCII),
so the reader sets their rows aside with a reason and their fields stay where they were.
"""

from __future__ import annotations

import re

MARK = "\ufffd"
# Text that UTF-8 bytes decode to in real exports: Latin letters with accents, CJK, kana, hangul, full width.
_PLAUSIBLE_UTF8 = re.compile("[\u00c0-\u024f\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]")
_HIGH_RUN = re.compile(rb"[\x80-\xff]+")


def detect_encoding(head: bytes) -> str:
    """Guess a text file's encoding from its first bytes: a BOM, UTF-16 zero bytes, valid UTF-8, else GB18030.

    GB18030 is a superset of GBK and GB2312, the default of Chinese Excel's CSV export. The guess decides how the
    file is read first; :func:`decode_lines` settles a file that is not UTF-8 throughout from all of its lines.
    """
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = head[:4000]
    # UTF-16 without a BOM: NUL bytes on one side of the pairs only (ASCII characters), none on the other.
    # Eight-bit text has no NUL at all, so a few of them, all odd or all even, settle it.
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    if odd > max(1, len(sample) // 100) and even <= odd // 20:
        return "utf-16-le"
    if even > max(1, len(sample) // 100) and odd <= even // 20:
        return "utf-16-be"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the sample's end is still UTF-8.
        if exc.start >= len(head) - 3:
            return "utf-8"
        return "gb18030"


def mark(line: bytes) -> str:
    """A line that is not in the file's encoding: ASCII kept (delimiters, quotes, digits), every other byte MARK."""
    return line.decode("ascii", errors="replace")


def decode_lines(data: bytes, guess: str) -> tuple[list[str], str]:
    """Decode a whole text file line by line; return (lines with their line ends, the file's encoding).

    ``guess`` is :func:`detect_encoding`'s answer for the file's head. UTF-16 is decoded whole (a broken pair
    becomes MARK). Otherwise lines end at LF (CR-only files: at CR) and the file's encoding is UTF-8 when at
    least as many of its non-ASCII lines are valid UTF-8 as not, else the legacy encoding its other lines read
    as (:func:`_legacy`). Lines that do not decode, and in a legacy file lines that are evidently UTF-8, are
    marked.
    """
    if guess.startswith("utf-16"):
        text = data.decode(guess, errors="replace").lstrip("\ufeff")
        return text.splitlines(keepends=True), guess
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    eol = b"\n" if b"\n" in body else b"\r"
    parts = body.split(eol)
    lines = [p + eol for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    encoding = _choose(lines)
    out = []
    for line in lines:
        if line.isascii():
            out.append(line.decode("ascii"))
            continue
        try:
            text = line.decode(encoding)
        except UnicodeDecodeError:
            out.append(mark(line))
            continue
        out.append(mark(line) if encoding != "utf-8" and _evidently_utf8(line) else text)
    return out, "utf-8-sig" if bom and encoding == "utf-8" else encoding


def _evidently_utf8(line: bytes) -> bool:
    try:
        return bool(_PLAUSIBLE_UTF8.search(line.decode("utf-8")))
    except UnicodeDecodeError:
        return False


def _choose(lines: list[bytes]) -> str:
    good, bad = 0, []
    for line in lines:
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            good += 1
        except UnicodeDecodeError:
            bad.append(line)
    if good >= len(bad):
        return "utf-8"
    return _legacy(b"".join(bad[:500]))


def _legacy(sample: bytes) -> str:
    """The legacy encoding ``sample`` (lines that are not UTF-8) is in.

    Chinese, Japanese and Korean encodings write characters as two bytes, the first above 0x7F and the second
    mostly so; Western ones (cp1252) one byte between ASCII letters. Whether most high bytes stand next to
    another one tells the two families apart; within the CJK
    family GB18030 (a superset of GBK) is the default unless the text reads better as Big5, which
    charset-normalizer judges; a Western file is judged among the single-byte code pages likewise.
    """
    import charset_normalizer

    runs = [len(m) for m in _HIGH_RUN.findall(sample)]
    if runs and sum(r for r in runs if r > 1) >= 0.5 * sum(runs):
        best = charset_normalizer.from_bytes(sample, cp_isolation=["gb18030", "big5"]).best()
        return best.encoding if best else "gb18030"
    best = charset_normalizer.from_bytes(sample, cp_isolation=["cp1252", "cp1250", "cp1251", "latin_1"]).best()
    return best.encoding if best else "cp1252"
