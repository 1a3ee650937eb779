"""Cleaning (pure): Unicode and whitespace normalisation, and page furniture from scraped text."""

from __future__ import annotations

import re
import unicodedata

# Whole lines that are site furniture, not article text (case-insensitive).
_FURNITURE = re.compile(
    r"^(?:"
    r"share(?: this)?(?: on \w+| article| story| via \w+)?|(?:share on \w+\s*)+|tweet|pin it|email|print"
    r"|sign ?in|sign ?up|log ?in|log ?out|register|my account|subscribe(?: now| today)?.*"
    r"|(?:menu|home|about|contact(?: us)?|search|skip to (?:main )?content|back to top)"
    r"|no results?|view all results?|load more|show more|read more|continue reading"
    r"|advertisement|sponsored(?: content)?|accept(?: all)? cookies|reject(?: all)?"
    r"|.*\bcookies?\b.*(?:accept|consent|policy|preferences|this (?:site|website)).*"
    r"|we use cookies.*|manage (?:cookie )?preferences|privacy policy|terms(?: and| &) conditions"
    r"|terms of (?:use|service)|\[?do not sell my (?:personal )?information\]?"
    r"|follow us.*|like us on \w+|join our (?:newsletter|mailing list).*"
    r"|sign up for (?:our|the) newsletter.*|get the newsletter.*|stay informed.*follow .*"
    r"|welcome back!?|log ?in to your account.*|forgot(?:ten)? (?:your )?password\??"
    r"|retrieve your password"
    r"|please enter your username or email address.*|add new playlist|create an account"
    r"|\(?photo credit:.*\)?|image:.*|copyright ©.*|©.*all rights reserved\.?"
    r"|\(?(?:photo|image|picture|illustration)(?: credits?)?:.*\)?|credits?:.*"
    r"|share this (?:article|story|post|page):?|(?:share|tweet|email)(?: \| (?:share|tweet|email))+"
    r"|the content provided is for (?:educational|informational).*"
    r"|this (?:article|post|page) is for (?:educational|informational) purposes.*"
    r"|.*\bdo(?:es)? not necessarily reflect the (?:official )?(?:policy|views?|positions?|opinions?)\b.*"
    r"|tags?:.*|filed under:?.*|posted in:?.*"
    r")$",
    re.IGNORECASE,
)
# A line that opens the tail of a page: related-article lists, newsletter boxes.
_TAIL = re.compile(
    r"^(?:related(?: articles| posts| stories| reading| content)?:?|you (?:may|might) also like"
    r"|more (?:from|on) .{0,40}|read next|recommended(?: for you)?|trending(?: now)?"
    r"|stay connected|latest(?: news| stories)?|popular(?: posts)?|most read|in case you missed it"
    r"|comments?|leave a (?:comment|reply)|published by:?|about the authors?:?"
    r"|you (?:may|might) also (?:be interested in|like|enjoy):?|further reading:?)$",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*(?:[•·▪◦*+\-–]|\d+[.)])\s+")
_SPACES = re.compile(r"[ \t\f\v]+")


def normalise_text(text: str) -> str:
    """NFC, no invisible or control characters, single spaces, at most one blank line."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in "\n\t":
            out.append(ch)
        elif cat in ("Cc", "Cf", "Co", "Cs") or ch == "\ufffd":
            continue  # control, zero-width, BOM, soft hyphen, private use, replacement char
        elif cat in ("Zs", "Zl", "Zp"):
            out.append(" " if cat == "Zs" else "\n")
        else:
            out.append(ch)
    lines = [_SPACES.sub(" ", line).strip() for line in "".join(out).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _is_menu_item(line: str) -> bool:
    return bool(_BULLET.match(line)) and len(_BULLET.sub("", line).split()) <= 4


def _is_breadcrumb(line: str) -> bool:
    """'Home > Health > Mental Health' or 'Home Health Mental Health'."""
    words = [w for w in re.split(r"\s+|[>/»›|]", line) if w]
    return (len(words) <= 10 and words[0] == "Home" and not line.endswith((".", "?", "!"))
            and all(w[0].isupper() or w in ("&", "and", "of") for w in words))


def is_furniture_line(line: str) -> bool:
    """A whole line that is site furniture: a prompt, a menu item, a breadcrumb, a credit."""
    line = line.strip()
    return bool(line) and bool(_FURNITURE.match(line) or _is_menu_item(line)
                               or _is_breadcrumb(line))


def strip_furniture(text: str) -> str:
    """Drop menus, share/sign-in/subscribe prompts, cookie notices and related-article tails."""
    lines = text.split("\n")
    kept: list[str] = []
    words_seen = 0
    total_words = max(len(text.split()), 1)
    for line in lines:
        stripped = line.strip()
        if stripped and _TAIL.match(stripped) and words_seen > 0.4 * total_words:
            break
        words_seen += len(stripped.split())
        if is_furniture_line(stripped):
            continue
        if stripped and kept and stripped == kept[-1].strip():
            continue  # repeated line (logos, captions printed twice)
        if stripped and any(stripped == k.strip() for k in kept[-3:] if k.strip()):
            continue
        kept.append(line)
    # Drop leading runs of very short lines (site name, section crumbs) before the first paragraph.
    while kept and (not kept[0].strip() or (len(kept[0].split()) <= 3
                                             and not kept[0].rstrip().endswith((".", "?", "!")))):
        kept.pop(0)
    return "\n".join(kept)


# Markdown bold: **term** or __term__ (a pair on one line). Single * or _ are left alone: they
# also start bullets and appear inside words.
_BOLD = re.compile(r"(?<!\w)\*\*(?=\S)([^\n]*?\S)\*\*(?!\w)|(?<!\w)__(?=\S)([^\n]*?\S)__(?!\w)")


def strip_bold(text: str) -> str:
    """Drop markdown bold markers, keeping the words, so quoted sentences read as prose."""
    return _BOLD.sub(lambda m: m.group(1) or m.group(2), text)


def clean_text(text: str, *, scraped: bool = False, markdown: bool = False) -> str:
    """Normalise text; for scraped pages also remove page furniture; for markdown, bold markers."""
    text = normalise_text(text)
    if scraped:
        text = normalise_text(strip_furniture(text))
    if markdown:
        text = strip_bold(text)
    return text
