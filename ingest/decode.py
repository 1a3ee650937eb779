"""Bytes to text (pure): UTF-8 first, even with a few damaged bytes, then Windows-1252."""

from __future__ import annotations

from kb.errors import FileRejectedError

# A file is read as UTF-8 with its bad bytes replaced when valid multi-byte UTF-8 characters
# outnumber the invalid sequences this many times over. A Windows-1252 file has almost no valid
# multi-byte sequences (an accented letter is one byte, invalid as UTF-8 before an ASCII one),
# so it does not pass; a file with no valid multi-byte character never does.
UTF8_MAJORITY = 4


def _count_utf8(data: bytes) -> tuple[int, int]:
    """(valid non-ASCII characters, invalid byte sequences) when read as UTF-8."""
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd") - data.count("\ufffd".encode())
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    return non_ascii - invalid, invalid


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """(text, note): UTF-8 (or UTF-16/UTF-8 with a BOM), mostly-UTF-8 with bad bytes replaced,
    else Windows-1252; each fallback explained in the note. Binary data is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), ""
        except UnicodeDecodeError:
            raise FileRejectedError(f"{name}: UTF-16 byte-order mark but invalid UTF-16") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:8192]:
        raise FileRejectedError(f"{name}: binary file (NUL bytes); not text")
    try:
        return data.decode("utf-8"), ""
    except UnicodeDecodeError as exc:
        first = exc.start
    valid, invalid = _count_utf8(data)
    if valid and valid >= UTF8_MAJORITY * invalid:
        return (data.decode("utf-8", errors="replace"),
                f"{name}: {invalid} invalid UTF-8 byte sequence(s) (first at byte {first}) "
                "dropped; the rest read as UTF-8")
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise FileRejectedError(f"{name}: not UTF-8 (byte {first}) nor Windows-1252; "
                                "save it as UTF-8") from None
    return text, f"{name}: not valid UTF-8 (byte {first}); read as Windows-1252"
