"""Document metadata (pure): the record every extractor returns, author names, dates, the Source."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

from kb.records import Source


@dataclass(frozen=True)
class Metadata:
    """What an extractor found, or what a sidecar or a CLI flag says; empty means unknown."""

    title: str = ""
    authors: tuple[str, ...] = ()  # already formatted: "Rigg C", or a name kept as written
    date: str = ""  # ISO, YYYY-MM-DD (or YYYY-MM, YYYY when that is all that is known)
    outlet: str = ""
    url: str = ""
    topics: tuple[str, ...] | None = None  # only sidecars give these
    evidence_type: str | None = None

    def updated(self, other: Metadata | None) -> Metadata:
        """This record with every field that `other` sets replacing its own."""
        if other is None:
            return self
        changes = {f.name: getattr(other, f.name) for f in dataclasses.fields(other)
                   if getattr(other, f.name) not in ("", (), None)}
        return dataclasses.replace(self, **changes)

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if re.match(r"\d{4}", self.date) else None

    def source(self) -> Source | None:
        """The reference a citation shows; None when nothing beyond a title is known."""
        if not (self.authors or self.date or self.outlet or self.url):
            return None
        return Source(cite="", authors=", ".join(self.authors), year=self.year,
                      title=self.title, outlet=self.outlet, url=self.url)


# ---- author names -------------------------------------------------------------------------

_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "dos",
              "bin", "ibn", "al", "ter", "ten"}
_TITLES = {"dr", "prof", "professor", "mr", "mrs", "ms", "mx", "sir", "dame", "rev"}
_CREDENTIAL = re.compile(r"^(?:[A-Z]{2,6}(?:-[A-Z]{1,4})?|Ph\.?D\.?|M\.?D\.?|Jr\.?|Sr\.?|RN|MSc|BSc|"
                         r"MSW|LCSW|LMSW|LSW|MPH|MA|MS|BA|PsyD|EdD|DrPH|II|III|IV)$")
_NOT_PERSON = re.compile(r"\b(?:staff|team|editors?|editorial|desk|news|press|reporters?|wire|"
                         r"office|department|agency|association|society|institute|university|"
                         r"foundation|council|centre|center|group|magazine|journal)\b", re.I)
_NAME_WORD = re.compile(r"^(?:[A-Z][a-zà-ÿ'’]+(?:-[A-Z][a-zà-ÿ'’]+)*|[A-Z]\.?(?:-?[A-Z]\.?)*|"
                        r"(?:Mc|Mac|O['’])[A-Z][a-z]+)$")


def split_names(raw: str) -> list[str]:
    """'A B, PhD and C D' -> ['A B', 'C D']; credentials dropped; 'Doe, Jane' kept as one name."""
    raw = re.sub(r"\s+", " ", raw).strip(" .,;:|")
    parts = re.split(r"\s*;\s*|\s+and\s+|\s*&\s*", raw)
    names: list[str] = []
    for part in parts:
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        pieces = [p for p in pieces if not _CREDENTIAL.match(p.replace(" ", ""))]
        if len(pieces) == 2 and all(len(p.split()) == 1 for p in pieces):
            pieces = [f"{pieces[1]} {pieces[0]}"]  # "Doe, Jane"
        names += pieces
    return [n for n in names if n]


def is_person_name(name: str) -> bool:
    words = [w for w in name.split() if w.lower().rstrip(".") not in _TITLES]
    if not 2 <= len(words) <= 5 or _NOT_PERSON.search(name):
        return False
    return all(_NAME_WORD.match(w) or w.lower() in _PARTICLES for w in words) \
        and _NAME_WORD.match(words[-1]) is not None


def format_author(name: str) -> str:
    """'Christian Rigg' -> 'Rigg C'; 'Rigg C' and names that are not a person's stay as written."""
    name = re.sub(r"\s+", " ", name).strip(" .,;")
    words = name.split()
    if len(words) >= 2 and re.fullmatch(r"[A-Z]{1,3}", words[-1]):
        return name  # already "Surname Initials"
    if not is_person_name(name):
        return name
    words = [w for w in words if w.lower().rstrip(".") not in _TITLES]
    i = len(words) - 1
    while i > 1 and words[i - 1].lower() in _PARTICLES:
        i -= 1
    given, surname = words[:i], words[i:]
    initials = "".join(p[0] for w in given for p in w.replace(".", " ").replace("-", " ").split())
    return f"{' '.join(surname)} {initials}"


def format_authors(raw: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    names = [raw] if isinstance(raw, str) else list(raw)
    out: list[str] = []
    for entry in names:
        for n in split_names(str(entry)):
            formatted = format_author(n)
            if formatted and formatted not in out:
                out.append(formatted)
    return tuple(out)


# ---- dates --------------------------------------------------------------------------------

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_MONTH = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|" \
         r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DATE_PATTERNS = [
    re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)"),
    re.compile(rf"\b{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b", re.I),
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<y>\d{{4}})\b", re.I),
    re.compile(r"\b(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})\b"),  # day first, as outside the US
]


def find_date(text: str) -> tuple[str, int] | None:
    """(ISO date, start offset) of the first date written in `text`, or None."""
    found = []
    for pattern in _DATE_PATTERNS:
        m = pattern.search(text)
        if not m:
            continue
        month = int(m["m"]) if "m" in m.groupdict() and m["m"] else _MONTHS[m["mon"][:3].lower()]
        try:
            day = dt.date(int(m["y"]), month, int(m["d"]))
        except ValueError:
            continue
        found.append((m.start(), day.isoformat()))
    if not found:
        return None
    start, iso = min(found)
    return iso, start


def parse_date(value: object) -> str:
    """ISO date from a date, a datetime or a string in a common format; '' if not readable."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value or "").strip()
    if re.fullmatch(r"\d{4}(?:-\d{2})?", text):
        return text
    hit = find_date(text)
    return hit[0] if hit else ""


def corrections_from_flags(inputs: list[str], *, title: str = "", authors: tuple[str, ...] = (),
                           date: str = "", url: str = "", outlet: str = "") -> Metadata:
    """Corrections given on the command line for one file or URL; ValueError says what is wrong."""
    from pathlib import Path

    if len(inputs) != 1 or Path(inputs[0]).is_dir():
        raise ValueError("--title, --author, --date, --url and --outlet correct one document: "
                         "give a single file or URL (for a folder, put a NAME.meta.yaml beside "
                         "each file; see README, 'Adding your own documents')")
    iso = parse_date(date) if date else ""
    if date and not iso:
        raise ValueError(f"--date: cannot read {date!r} as a date; write it as YYYY-MM-DD")
    if url and not url.startswith(("http://", "https://")):
        raise ValueError(f"--url: {url!r} must start with http:// or https://")
    return Metadata(title=title.strip(), authors=format_authors(list(authors)), date=iso,
                    outlet=outlet.strip(), url=url)
