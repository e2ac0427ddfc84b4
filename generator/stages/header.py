"""Reading an article's header lines: bylines, datelines, mastheads, navigation, the headline.

A copied article starts with lines that are not its text: the site's masthead and navigation,
labels, the headline, a standfirst, the byline with the author's role, the outlet and the date,
reading-time and share prompts. :func:`read_line` reads one such line into what it says
(authors, outlet, dates, role); :func:`title_like`, :func:`masthead` and :func:`navigation`
tell the headline from the lines around it. The cleaner (:mod:`generator.stages.clean`)
decides from these which lines of the header leave the text; nothing here removes anything.

The words these tests rely on (role nouns, the words of outlets' names, section names) are
lists below: they describe how newsrooms write, not one publisher.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.stages.dates import FoundDate, date_line, find_dates

ROLE_NOUNS = frozenset(
    "correspondent reporter editor writer columnist contributor critic analyst producer journalist staff "
    "chief bureau desk intern photographer presenter host commentator reviewer blogger researcher economist "
    "editor-at-large correspondents reporters editors writers contributors".split()
)
"""A segment of a byline ending with one of these is the author's role, not a name."""
ORG_WORDS = frozenset(
    "press news times post herald courier gazette journal ledger chronicle tribune review magazine echo mail "
    "telegraph observer guardian standard express mirror star independent register record radio tv television "
    "network media agency association wire service bulletin digest weekly daily monthly quarterly dispatch "
    "sentinel examiner inquirer enquirer argus advertiser globe recorder leader citizen voice online group "
    "broadcasting fund foundation trust council institute university ltd inc company corporation society "
    "ministry department office bank publishing publications newspaper newspapers newswire channel".split()
)
"""A name with one of these words is an outlet or an organisation, not a person."""
SECTION_WORDS = frozenset(
    "home news world uk us u.s. business politics tech technology science sport sports weather opinion culture "
    "lifestyle travel health education entertainment markets money local national video videos live latest "
    "more menu search sections top stories trending climate europe asia africa americas middle east "
    "global international environment".split()
)
"""Words of a site's sections: a short line made of these only is navigation, not a masthead."""
PARTICLES = frozenset("de van von der den da di du del della la le al el bin ibn y dos das ter ten zu".split())
HONORIFICS = frozenset("dr dr. prof prof. professor sir dame".split())
NO_AUTHOR = re.compile(
    r"^(?:(?:by\s+)?(?:our\s+)?(?:staff(?:\s+(?:report|reports|reporter|writer|writers))?|"
    r"from\s+staff\s+reports|news\s*desk|the\s+newsroom|agencies|wire\s+reports|our\s+(?:reporter|correspondent)))$",
    re.IGNORECASE,
)
"""A byline that names no person ("Staff report", "News desk", "Agencies")."""
_PREFIX = re.compile(
    r"^(?:(?:written|words(?:\s+and\s+(?:photographs|pictures|photos))?|story|reviewed|reported|posted|text|"
    r"interview|report)\s+by|by|author|reporter|words|text|writer|byline)\s*:?\s+(?=\S)",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"^(?:photographs?|photos?|pictures?|illustrations?|images?|video|graphics?)\s+by\s", re.IGNORECASE
)
_READING = re.compile(r"^(?:⏱\s*)?\d+\s*(?:-\s*)?(?:min(?:ute)?s?)\.?\s*(?:read|listen|watch)?$", re.IGNORECASE)
_VIA = re.compile(r"^(?:via|from|source:?)\s+(?P<outlet>.+)$", re.IGNORECASE)
_PROVIDED = re.compile(r"^(?:news|content|press release|story)\s+(?:provided|supplied)\s+by\s+\S", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s+[|·•—–]\s+|\s+-\s+|\s*\|\s*|\s+•\s*|\s*·\s+")
_NAV_SEPARATOR = re.compile(r"\s*[|·•›»>/]\s*|\s{2,}")
_TOKEN = re.compile(r"[^\s,;:]+")


def _words(text: str) -> list[str]:
    return text.split()


def _bare(token: str) -> str:
    return token.strip(".,;:()[]\"'“”‘’").lower()


def is_person(text: str, single: bool = False) -> bool:
    """Whether *text* reads as a person's name: one to five capitalised words (particles such as
    "de" and initials such as "L." allowed), none of them an outlet's, a role's or a section's
    word. One word only when *single* (after "by": "Posted by Marta")."""
    tokens = _words(text.strip())
    if tokens and tokens[0].lower() in HONORIFICS:
        tokens = tokens[1:]
    if not tokens or len(tokens) > 5 or (len(tokens) == 1 and not single):
        return False
    if tokens[0].lower() in PARTICLES or tokens[0].lower() in ("the", "for", "a", "an", "of", "in", "on"):
        return False
    for token in tokens:
        bare = _bare(token)
        if bare in PARTICLES:
            continue
        if not token[:1].isupper() or any(ch.isdigit() for ch in token) or "@" in token:
            return False
        if bare in ORG_WORDS or bare in ROLE_NOUNS or bare in SECTION_WORDS:
            return False
        if not re.fullmatch(r"[^\W\d_][\w'’.-]*", token):
            return False
    return True


def is_outlet(text: str) -> bool:
    """Whether *text* reads as an outlet's or organisation's name: capitalised words, one of them
    a word of outlets' names (Times, Press, Agency …), or starting with "The"."""
    tokens = _words(text.strip())
    if not tokens or len(tokens) > 7 or not tokens[0][:1].isupper():
        return False
    if any(ch in text for ch in "@!?|·•›»/") or re.search(r"\d{3,}", text) or _PREFIX.match(text):
        return False
    caps = [t for t in tokens if t.lower() not in ("of", "the", "and", "&", "for", "on", "in", "de")]
    if not all(t[:1].isupper() or not t[:1].isalpha() for t in caps):
        return False
    return any(_bare(t) in ORG_WORDS for t in tokens) or (tokens[0] == "The" and len(tokens) >= 2)


def role_of(text: str) -> bool:
    """Whether *text* is an author's role ("Showbiz Reporter", "Health policy editor", "Columnist")."""
    tokens = _words(text.strip())
    return 0 < len(tokens) <= 6 and _bare(tokens[-1]) in ROLE_NOUNS


def _split_name_role(piece: str) -> tuple[str, str] | None:
    """("Priya Raman", "Health policy editor") from "Priya Raman Health policy editor", or
    ("Simon Varga", "Court reporter") from "Court reporter Simon Varga"; None otherwise."""
    tokens = _words(piece)
    if len(tokens) < 3:
        return None
    if _bare(tokens[-1]) in ROLE_NOUNS:
        cut = len(tokens) - 1
        while cut > 0 and tokens[cut - 1][:1].islower():
            cut -= 1
        if cut > 2 and tokens[cut - 1][:1].isupper() and is_person(" ".join(tokens[: cut - 1])):
            cut -= 1
        name, role = " ".join(tokens[:cut]), " ".join(tokens[cut:])
        return (name, role) if is_person(name) else None
    for end in range(1, min(4, len(tokens) - 1)):
        if _bare(tokens[end]) in ROLE_NOUNS and is_person(" ".join(tokens[end + 1 :])):
            return " ".join(tokens[end + 1 :]), " ".join(tokens[: end + 1])
    return None


def _names(text: str, single: bool) -> list[str] | None:
    """The people named in *text* ("Lina Park, Omar Haddad and Sofia Brandt"), or None."""
    pieces = [p.strip() for p in re.split(r",\s*|\s+(?:and|&)\s+", text.strip()) if p.strip()]
    if pieces and all(is_person(p, single and len(pieces) == 1) for p in pieces):
        return pieces
    return None


@dataclass
class HeaderLine:
    """What one header line says."""

    kind: str
    """``byline``, ``dateline`` (dates and an outlet, no person), ``role`` (the author's role on a
    line of its own), ``outlet`` (an outlet's name alone) or ``source`` (a "via OUTLET" line, or a
    press release's "News provided by")."""
    authors: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    dates: list[FoundDate] = field(default_factory=list)
    original: str | None = None
    """For ``source``: where the text first appeared."""
    staff: bool = False
    """A byline that names no person ("Staff report")."""
    relative: bool = False
    """A date given only as "2 hours ago", "Yesterday"."""
    role: bool = False
    """The author's role is given."""
    bare: bool = False
    """Names were given without "By", a role or an outlet: the line may be a name of anything."""


def read_line(text: str) -> HeaderLine | None:
    """What the header line *text* says, or None if it is not a byline, dateline, role or source
    line (a headline, a standfirst, the article's own text, chrome)."""
    text = " ".join(text.split())
    if not text or len(text) > 200:
        return None
    if _PROVIDED.match(text):
        return HeaderLine("source")
    via = _VIA.match(text)
    if via and text.split()[0].lower() == "via" and is_outlet(via.group("outlet")):
        return HeaderLine("source", original=via.group("outlet").strip())
    if NO_AUTHOR.match(text):
        return HeaderLine("byline", staff=True)
    if is_outlet(text) and not find_dates(text):
        return HeaderLine("outlet", outlets=[text])
    result = HeaderLine("dateline")
    understood = False
    for segment in (s.strip() for s in _SEPARATORS.split(text) if s.strip()):
        if not _segment(segment, result):
            return None
        understood = True
    if not understood:
        return None
    if result.authors and result.bare and not (result.role or result.outlets or result.dates or result.relative):
        result.kind = "name"
    elif result.authors or result.staff:
        result.kind = "byline"
    elif result.role and not (result.dates or result.relative or result.outlets):
        result.kind = "role"
    elif not (result.dates or result.relative):
        return None
    return result


def _segment(segment: str, into: HeaderLine) -> bool:
    """Read one part of a header line (between separators) into *into*; False if it says
    something else."""
    if _READING.match(segment) or _CREDIT.match(segment):
        return True
    if NO_AUTHOR.match(segment):
        into.staff = True
        return True
    prefixed = _PREFIX.match(segment)
    if prefixed:
        return _people(segment[prefixed.end() :], into, single=True)
    dates, only_dates = date_line(segment)
    if only_dates:
        into.dates += dates
        into.relative = into.relative or not dates
        return True
    by = re.search(r"\s+by\s+(?=\S)", segment, re.IGNORECASE)
    if by and dates and date_line(segment[: by.start()])[1]:  # "Posted on April 2, 2023 by Marta"
        into.dates += date_line(segment[: by.start()])[0]
        return _people(segment[by.end() :], into, single=True)
    if dates:  # "Harbour Times, March 4, 2024": an outlet and a date
        rest = segment
        for date in reversed(dates):
            rest = rest[: date.start] + rest[date.end :]
        rest = re.sub(r"^\W+|\W+$", "", re.sub(r"\b(?:published|posted|on|updated)\b", " ", rest, flags=re.I))
        if rest and not is_outlet(rest) and not masthead(rest):
            return False
        into.dates += dates
        # An outlet's name is taken only when it reads as one; a place or another name is left unread.
        into.outlets += [rest] if rest and is_outlet(rest) else []
        return True
    if role_of(segment) and "," not in segment and _split_name_role(segment) is None:
        into.role = True
        return True
    if is_outlet(segment) and (into.authors or into.staff):
        into.outlets.append(segment)
        return True
    return _people(segment, into, single=False, bare=True)


def _people(text: str, into: HeaderLine, single: bool, bare: bool = False) -> bool:
    """Names, with their roles and outlets after commas: "Nadia Brooks, Media Correspondent",
    "Kai Ng, Atlas Press Association", "Lina Park, Omar Haddad and Sofia Brandt"."""
    text = text.strip().rstrip(".")
    if single:  # after "By": "Sam Ortega in Madrid" (where the reporter filed from is not the name)
        text = re.sub(r"\s+in\s+\p{Lu}[\w'’-]+(?:\s+\p{Lu}[\w'’-]+)?$".replace("\\p{Lu}", "[A-ZÀ-ÖØ-Þ]"), "", text)
    names = _names(text, single)
    if names:
        into.authors += names
        into.bare = into.bare or bare
        return True
    pieces = [p.strip() for p in text.split(",") if p.strip()]
    if not pieces:
        return False
    found: list[str] = []
    for index, piece in enumerate(pieces):
        people = _names(piece, single and index == 0)
        if people and not (index and role_of(piece)):
            found += people
        elif index and role_of(piece):
            into.role = True
        elif index and (is_outlet(piece) or (single and masthead(piece) and len(piece.split()) <= 4)):
            into.outlets.append(piece)  # "By Jane Doe, Bloomberg": after "By", a name that is not a person's
        elif (split := _split_name_role(piece)) is not None:
            found.append(split[0])
            into.role = True
        else:
            return False
    if not found:
        return False
    into.authors += found
    return True


def navigation(text: str) -> bool:
    """Whether *text* is a run of navigation links ("News | Sport | Opinion", "Home › Local ›
    Schools", "Menu  Search  Sections"): three or more short parts, none a sentence."""
    parts = [p for p in _NAV_SEPARATOR.split(text.strip()) if p.strip()]
    if len(parts) < 3:
        return False
    return all(len(p.split()) <= 4 and len(p) <= 32 and not p.rstrip().endswith((".", "!", "?")) for p in parts)


def first_part(text: str) -> str:
    """The first part of a navigation run ("Harbour Times" of "Harbour Times | News | Sport")."""
    return _NAV_SEPARATOR.split(text.strip())[0].strip()


def masthead(text: str) -> bool:
    """Whether *text* reads as a site's name standing above the headline: one to five capitalised
    words (or capitals only), not a sentence, not only section names ("WORLD NEWS")."""
    tokens = _words(text.strip())
    if not 1 <= len(tokens) <= 5 or text.rstrip().endswith(("!", "?", ":", ",")) or navigation(text):
        return False
    if any(ch.isdigit() for ch in text) or "@" in text or "http" in text:
        return False
    if all(_bare(t) in SECTION_WORDS for t in tokens):
        return False
    lowercase = ("of", "the", "and", "&", "for", "on", "in", "a", "an")
    return (
        all(t[:1].isupper() or t.lower() in lowercase or not t[:1].isalpha() for t in tokens)
        and tokens[0][:1].isupper()
    )


def publisher_name(text: str) -> str:
    """A masthead as a publisher's name: "THE READING ROOM" → "The Reading Room" (a name in
    capitals is a typographic choice); other names as written."""
    text = " ".join(text.split())
    if text.upper() != text or not any(ch.isalpha() for ch in text):
        return text
    small = {"of", "the", "and", "for", "on", "in", "a", "an", "at"}
    words = [w.lower() if i and w.lower() in small else w.capitalize() for i, w in enumerate(text.split())]
    return " ".join(words)


def title_like(text: str) -> bool:
    """Whether *text* could be a headline: a line of two to forty words starting with a capital,
    a digit or a quotation mark, not ending like a sentence or a label (".", ",", ":"), not in
    capitals only, not a link run, an address or a date."""
    words = _words(text)
    if not 2 <= len(words) <= 40 or len(text) > 300:
        return False
    if not re.match(r"[\"'“‘«(\[]?[^\W_a-z]", text.strip()):
        return False
    if text.rstrip().endswith((".", ",", ":", ";", "|", "·")) and not text.rstrip().endswith("..."):
        return False
    letters = [ch for ch in text if ch.isalpha()]
    if letters and all(ch.isupper() for ch in letters) and len(words) <= 5:
        return False
    if navigation(text) or "@" in text or "http" in text.lower() or "www." in text.lower():
        return False
    return not find_dates(text) or len(words) > 6
