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
    least as many of its non-ASCII lines read as UTF-8 (valid, and not :func:`looks_misread`) as not, else the
    legacy encoding its other lines read as (:func:`_legacy`). Lines that do not decode, and in a legacy file
    lines that are evidently UTF-8 and do not read in the file's encoding, are marked.
    """
    if guess.startswith("utf-16"):
        return _split_lines(data.decode(guess, errors="replace").lstrip("\ufeff")), guess
    bom = data.startswith(b"\xef\xbb\xbf")
    lines = _split_lines(data[3:] if bom else data)
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
        # In a legacy file a line is taken for UTF-8 only when it reads as UTF-8 and not as the file's encoding.
        other = encoding != "utf-8" and _evidently_utf8(line) and not _reads_as(line, encoding)
        out.append(mark(line) if other else text)
    return out, "utf-8-sig" if bom and encoding == "utf-8" else encoding


def _split_lines(text):
    """``text`` (str or bytes) as lines with their ends: at LF, or at CR in a file without LF.

    Not str.splitlines: it also breaks at U+2028, form feeds and lone CRs, which are cell content.
    """
    eol = "\n" if isinstance(text, str) else b"\n"
    if eol not in text:
        eol = "\r" if isinstance(text, str) else b"\r"
    parts = text.split(eol)
    return [p + eol for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _evidently_utf8(line: bytes) -> bool:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return bool(_PLAUSIBLE_UTF8.search(text)) and not looks_misread(text)


# Where each script's letters end (code point), for telling words from bytes read in the wrong encoding. IPA and
# spacing modifiers count as Latin (Azerbaijani ə, Uzbek and Hawaiian ʻ); combining marks go with any script
# (decomposed é is e and U+0301); Syriac, Thaana and N'Ko ("odd") are taken for misread bytes.
_SCRIPT_ENDS = ((0x300, "latin"), (0x370, None), (0x400, "greek"), (0x530, "cyrillic"), (0x590, "armenian"),
                (0x600, "hebrew"), (0x700, "arabic"), (0x800, "odd"))  # fmt: skip
# Latin Extended-B letters real text uses: Croatian digraphs, Pinyin tone marks (ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ), Romanian ș ț,
# Vietnamese ơ ư, Azerbaijani Ə and the florin sign.
_EXTENDED_B_IN_USE = {chr(c) for c in (*range(0x1C4, 0x1DD), *range(0x218, 0x21C), 0x1A0, 0x1A1, 0x1AF, 0x1B0,
                                       0x18F, 0x192)}  # fmt: skip


def _script(ch: str) -> str | None:
    code = ord(ch)
    if code < 0xC0 or ch in "\u00d7\u00f7":
        return None  # Latin-1 symbols and punctuation (° © ×) go with any script
    return next((name for end, name in _SCRIPT_ENDS if code < end), "wide")


def looks_misread(text: str) -> bool:
    """True when valid UTF-8 ``text`` reads like bytes of a two-byte legacy encoding (GBK) taken as UTF-8.

    Many common GBK characters are valid UTF-8 byte pairs (女装 reads as "Ůװ"), but what they decode to is never
    text: one word mixing scripts (Latin with Hebrew, Cyrillic with Armenian), Latin Extended-B letters no
    language writes, or one- and two-letter words of another script alone in a cell. Real UTF-8 text keeps to
    one script a word, and a line holding any character beyond U+07FF (CJK, kana, hangul ...) is taken as real.
    """
    if any(ord(ch) >= 0x800 for ch in text):
        return False
    runs = re.findall(r"[^\x00-\x7f]+", text)
    for run in runs:
        scripts = {_script(ch) for ch in run} - {None}
        if len(scripts) > 1 or "odd" in scripts:
            return True
        if any(0x180 <= ord(ch) < 0x250 and ch not in _EXTENDED_B_IN_USE for ch in run):
            return True
    # A Chinese word of one or two characters reads as one or two Cyrillic, Greek or Hebrew letters standing
    # alone in a cell (鞋 as Ь, 学校 as ѧУ); words of those scripts are longer, a unit or a prefix sticks to
    # Latin letters or digits (10kΩ, 4.7μF, β-carotene), and the same bytes read in GBK as common characters.
    alone = re.findall(r"(?<![0-9A-Za-z.\-_%+/])[^\x00-\x7f]{1,2}(?![0-9A-Za-z.\-_%+/])", text)
    if runs and len(alone) == len(runs) and all({_script(ch) for ch in run} - {None, "latin"} for run in alone):
        wide = _decoded(text.encode("utf-8"), "gb18030")
        return wide is not None and _share("".join(ch for ch in wide if ord(ch) > 127), _in_gb2312) == 1.0
    return False


def _choose(lines: list[bytes]) -> str:
    good, bad = 0, []
    for line in lines:
        if line.isascii():
            continue
        try:
            misread = looks_misread(line.decode("utf-8"))
        except UnicodeDecodeError:
            misread = True
        if misread:
            bad.append(line)
        else:
            good += 1
    if good >= len(bad):
        return "utf-8"
    return _legacy(b"".join(bad[:500]))


def _share(chars: str, test) -> float:
    """The share of ``chars`` (non-ASCII characters) that pass ``test``; 0 when there are none."""
    return sum(map(test, chars)) / len(chars) if chars else 0.0


def _decoded(sample: bytes, encoding: str) -> str | None:
    try:
        return sample.decode(encoding)
    except UnicodeDecodeError:
        return None


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def _common_gb(ch: str) -> bool:
    """True for GB2312's symbols and its 3,755 level-1 characters, the ones nearly all Chinese text is made of.

    Cyrillic in cp1251 and other 8-bit text read as GBK land among the rare level-2 characters or outside GB2312.
    """
    try:
        lead = ch.encode("gb2312")[0]
    except UnicodeEncodeError:
        return False
    return 0xA1 <= lead <= 0xA9 or 0xB0 <= lead <= 0xD7


_LATIN = re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e]")


_CP1252_SIGNS = re.compile("[\u00a0-\u00bf\u00d7\u00f7\u2010-\u2044\u20ac\u2122\u02c6\u02dc\u0192]")


def _reads_as(sample: bytes, encoding: str) -> bool:
    """True when ``sample`` decoded in ``encoding`` reads as text of that encoding's language (see :func:`_legacy`)."""
    try:
        wide = "".join(ch for ch in sample.decode(encoding) if ord(ch) > 127)
    except UnicodeDecodeError:
        return False
    if encoding == "euc_kr":
        # Chinese read as EUC-KR is hangul where its first bytes fall in hangul's rows (B0-C8), which a few
        # Chinese names can all do: Korean needs a dozen characters to be told apart.
        return len(wide) >= 12 and _share(wide, lambda c: "\uac00" <= c <= "\ud7a3") >= 0.95
    if encoding == "gb18030":
        # Names use level-2 characters freely (麟, 潇, 琪), but never mostly: 8-bit text read as GBK does.
        return _share(wide, _in_gb2312) >= 0.9 and _share(wide, _common_gb) >= 0.5
    if encoding == "shift_jis":
        return _share(wide, lambda c: "\u3040" <= c <= "\u30ff") >= 0.2
    if encoding == "cp1252":
        # Typographic quotes, dashes, € and other symbols of 0x80-0xBF say nothing of the language.
        letters = "".join(ch for ch in wide if not _CP1252_SIGNS.match(ch))
        runs = [len(m) for m in _HIGH_RUN.findall(sample)]
        short = sum(r <= 2 for r in runs) >= 0.8 * len(runs)
        # Big5's common first bytes (A4-BF) are cp1252's ¤ ¥ § © ... signs, which Western text uses sparingly.
        signs = _share(wide, lambda c: "\u00a0" <= c <= "\u00bf")
        return short and signs < 0.3 and (not letters or _share(letters, lambda c: bool(_LATIN.match(c))) >= 0.9)
    if encoding == "big5":
        return _share(wide, lambda c: "\u4e00" <= c <= "\u9fff") >= 0.9
    if encoding == "cp1251":
        # Cyrillic words are runs of letters above 0x7F; Big5 puts an ASCII letter after many of its first bytes.
        glued = len(re.findall(rb"[\x80-\xff][A-Za-z]", sample)) / max(1, len(_HIGH_RUN.findall(sample)))
        return glued < 0.3 and _share(wide, lambda c: "\u0410" <= c <= "\u044f") >= 0.9
    return True


# The order :func:`_legacy` tries them in.
_LEGACY = ("gb18030", "euc_kr", "shift_jis", "cp1252", "cp1251", "big5")


def _legacy(sample: bytes) -> str:
    """The legacy encoding ``sample`` (lines that are not UTF-8) is in, judged by what each reading would say.

    In order: GB18030 when nearly every character it reads is one of GB2312's 6,763 and most are among its
    3,755 level-1 ones (Western, Cyrillic or Big5 text read as GBK gives rare characters; Korean EUC-KR shares
    GB2312's byte layout and cannot be told from it by a reading, so a Chinese workplace's GBK wins); EUC-KR when
    it reads as hangul throughout; Shift-JIS when kana appear; cp1252 when its accented letters stand inside
    Latin words, one or two at a time (Cyrillic in cp1251 reads as whole words of accented letters, Big5 as
    symbols); cp1251 when it reads as Cyrillic words; Big5 when it reads as CJK. What none of these explains is
    left to charset-normalizer.
    """
    found = next((enc for enc in _LEGACY if _reads_as(sample, enc)), None)
    if found:
        return found
    import charset_normalizer

    best = charset_normalizer.from_bytes(sample).best()
    return best.encoding if best else "gb18030"
