"""The `times` stage: time expressions, normalised TIMEX3-style against the publication date.

Rules over the text (any casing, tokenized or not) find dates, times, durations and sets and
give each a TIMEX3 value:

- absolute dates: "14 October 2017", "oct. 12", "October 2017", "2014", "the 1990s";
- dates relative to the publication date (the anchor): weekdays ("on saturday" is the latest
  Saturday on or before the anchor, unless the words around it speak of the future), "today",
  "yesterday", "tomorrow", "last week", "this year", "earlier this year", "last august",
  "since june", "six years ago", seasons and quarters;
- times: "10 a.m.", "15:00 GMT", "this morning", "friday night", "overnight into sunday";
- durations: "six years" -> P6Y, "six-year-long" -> P6Y, "24 hours" -> PT24H, "a decade"
  -> P10Y, "several days" -> PXD;
- sets: "every week" -> P1W, "annually" -> XXXX, "each season" -> XXXX-WI... .

Without a publication date, what is absolute is resolved and the rest stays underspecified
("XXXX-10-12", "XXXX-WXX-6"); today's date is never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from ..article import Analysis, TimeExpression
from ..pipeline import stage

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a dozen": 12, "dozen": 12,
}  # fmt: skip
VAGUE = {"several", "few", "a few", "many", "some", "recent", "the past", "past", "coming"}
UNITS = {
    "second": ("PT", "S"), "minute": ("PT", "M"), "hour": ("PT", "H"), "day": ("P", "D"),
    "night": ("P", "D"), "week": ("P", "W"), "month": ("P", "M"), "year": ("P", "Y"),
    "decade": ("P", "DE"), "century": ("P", "CE"),
}  # fmt: skip
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}

_FULL_MONTHS = sorted(
    (m for m in MONTHS if len(m) > 4 or m in ("may", "june", "july")), key=len, reverse=True
)
_SHORT_MONTHS = sorted((m for m in MONTHS if m not in _FULL_MONTHS), key=len, reverse=True)
_MONTH = rf"(?P<month>{'|'.join(_FULL_MONTHS)}|(?:{'|'.join(_SHORT_MONTHS)})\.?)"
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"
_NUMBER_WORD = "|".join(sorted((re.escape(k) for k in NUMBERS), key=len, reverse=True))
_COUNT = (
    rf"(?P<count>\d+(?:\.\d+)?|{_NUMBER_WORD}|{'|'.join(sorted(VAGUE, key=len, reverse=True))})"
)
_UNIT = r"(?P<unit>second|minute|hour|day|night|week|month|year|decade|centur(?:y|ie))s?"


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    type: str
    value: str


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    b, e = r"(?<![\w-])", r"(?![\w-])"
    raw = [
        # 14 october 2017 / october 14 , 2017 / oct. 12 / october 2017 / october
        (
            "day_month_year",
            rf"{b}(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:\s*,?\s*(?P<year>\d{{4}}))?{e}",
        ),
        (
            "month_day_year",
            rf"{b}{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*,\s*(?P<year>\d{{4}})|\s+(?P<year2>\d{{4}}))?{e}",
        ),
        (
            "month_year",
            rf"{b}(?P<mod>early|mid|late|last|next|this)?\s*-?\s*{_MONTH}\s*,?\s*(?P<year>\d{{4}}){e}",
        ),
        ("iso", rf"{b}(?P<year>\d{{4}})-(?P<m>\d{{2}})-(?P<day>\d{{2}}){e}"),
        (
            "clock_day",
            rf"{b}(?P<hour>[01]?\d|2[0-3])(?::(?P<minute>[0-5]\d)(?:\s*(?:gmt|utc))?|\s*"
            rf"(?P<ampm>a\.?\s?m\.?|p\.?\s?m\.?)|:(?P<minute2>[0-5]\d)\s*"
            rf"(?P<ampm2>a\.?\s?m\.?|p\.?\s?m\.?))\s+(?:on\s+)?{_WEEKDAY}{e}",
        ),
        # weekday with part of day: friday night / saturday morning
        (
            "weekday_part",
            rf"{b}(?P<mod>last|next|this|on)?\s*{_WEEKDAY}\s+(?P<part>morning|afternoon|evening|night){e}",
        ),
        ("overnight", rf"{b}overnight\s+(?:into|to)\s+{_WEEKDAY}{e}"),
        ("weekday", rf"{b}(?P<mod>last|next|this|on|by|until|since|from)?\s*{_WEEKDAY}{e}"),
        ("relative_day", rf"{b}(?P<word>today|yesterday|tomorrow|tonight){e}"),
        (
            "part_of_day",
            rf"{b}(?P<mod>this|yesterday|tomorrow|last)\s+(?P<part>morning|afternoon|evening|night){e}",
        ),
        ("ago", rf"{b}{_COUNT}\s+{_UNIT}\s+ago{e}"),
        (
            "relative_unit",
            rf"{b}(?P<lead>earlier|later)?\s*(?P<mod>the\s+last|the\s+past|last|next|this|the\s+coming|the\s+previous|previous|coming)\s+(?P<unit>week|month|year|quarter|weekend|fiscal\s+year){e}",
        ),
        (
            "season",
            rf"{b}(?P<mod>last|next|this|early|late)?\s*(?P<season>spring|summer|autumn|fall|winter)(?:\s+(?:of\s+)?(?P<year>\d{{4}}))?{e}",
        ),
        (
            "month_mod",
            rf"{b}(?P<mod>early|mid|late|last|next|this|since|in|until|by|from|during)\s+(?:-\s*)?(?:last\s+)?{_MONTH}{e}",
        ),
        ("decade", rf"{b}(?:the\s+)?(?P<decade>\d{{3}})0s{e}"),
        ("century", rf"{b}(?P<ordinal>\d{{1,2}})(?:st|nd|rd|th)\s+century{e}"),
        (
            "duration_adj",
            rf"{b}(?P<count>\d+|{_NUMBER_WORD})[\s-](?P<unit>second|minute|hour|day|week|month|year|decade)(?:-long)?(?!-old){e}",
        ),
        (
            "duration",
            rf"{b}(?:the\s+(?:past|last|next|coming|first)\s+|(?:more|less|fewer)\s+than\s+|about\s+|nearly\s+|almost\s+|over\s+|for\s+)?{_COUNT}\s+{_UNIT}{e}",
        ),
        (
            "set",
            rf"{b}(?P<word>every|each|per)\s+(?P<unit>day|week|month|year|night|morning){e}",
        ),
        ("set_adverb", rf"{b}(?P<word>daily|weekly|monthly|annually|yearly|quarterly){e}"),
        (
            "clock",
            rf"{b}(?P<hour>\d{{1,2}})(?::(?P<minute>\d{{2}}))?\s*(?P<ampm>a\.?\s?m\.?|p\.?\s?m\.?)(?!\w)",
        ),
        (
            "clock24",
            rf"{b}(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)(?:\s*(?:gmt|utc|local\s+time))?{e}",
        ),
        (
            "refs",
            rf"{b}(?P<word>now|currently|recently|nowadays|the\s+past|the\s+future|these\s+days|at\s+present){e}",
        ),
        ("year", r"(?<![\w.,$-])(?P<year>(?:19|20)\d{2})(?![\w%]|[.,]\d)"),
        ("month", rf"{b}{_MONTH}{e}"),
    ]
    return [(name, re.compile(p, re.IGNORECASE)) for name, p in raw]


PATTERNS = _patterns()


def _month(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def _iso(d: date) -> str:
    return d.isoformat()


def _number(word: str) -> str:
    word = word.lower()
    if word in NUMBERS:
        return str(NUMBERS[word])
    if word in VAGUE:
        return "X"
    try:
        value = float(word)
    except ValueError:
        return "X"
    return str(int(value)) if value == int(value) else str(value)


def _duration(count: str, unit: str) -> str:
    unit = unit.lower().rstrip("s")
    if unit == "centurie":
        unit = "century"
    prefix, letter = UNITS[unit]
    n = _number(count)
    if unit == "decade" and n != "X":
        return f"P{int(n) * 10}Y"
    if unit == "century" and n != "X":
        return f"P{int(n) * 100}Y"
    return f"{prefix}{n}{letter}"


class Normalizer:
    """Values for one article: the anchor is the publication date (or None)."""

    def __init__(self, text: str, anchor: date | None):
        self.text, self.anchor = text, anchor

    def _future(self, start: int, end: int) -> bool:
        """Whether the verb nearest before a span (else just after it) speaks of the future:
        "will meet on friday", "ready to resume on friday" but "said on friday that it
        would ...", "had been expected on sunday"."""
        before = re.findall(r"[\w']+", self.text[max(0, start - 60) : start].lower())[-6:]
        after = re.findall(r"[\w']+|[,.;]", self.text[end : end + 40].lower())[:4]
        verdict = _tense(list(reversed(before)), backwards=True)
        if verdict is None:
            clause = []
            for word in after:
                if word in (",", ".", ";", "that", "if"):
                    break
                clause.append(word)
            verdict = _tense(clause, backwards=False)
        return bool(verdict)

    def _month_year(self, month: int, start: int, end: int, mod: str = "") -> str:
        if self.anchor is None:
            return f"XXXX-{month:02d}"
        year = self.anchor.year
        mod = mod.lower()
        if mod in ("last", "since"):  # the latest such month before the anchor
            return f"{year - (month >= self.anchor.month):04d}-{month:02d}"
        if mod == "next":
            return f"{year + (month <= self.anchor.month):04d}-{month:02d}"
        future = self._future(start, end)
        if month > self.anchor.month and not future:
            year -= 1
        elif month < self.anchor.month and future:
            year += 1
        return f"{year:04d}-{month:02d}"

    def _day(self, month: int, day: int, year: str | None, start: int, end: int) -> str:
        if year:
            return f"{int(year):04d}-{month:02d}-{day:02d}"
        if self.anchor is None:
            return f"XXXX-{month:02d}-{day:02d}"
        return f"{self._month_year(month, start, end)}-{day:02d}"

    def _weekday(self, weekday: int, mod: str, start: int, end: int) -> str:
        if self.anchor is None:
            return f"XXXX-WXX-{weekday + 1}"
        mod = (mod or "").lower()
        back = (self.anchor.weekday() - weekday) % 7
        forward = (weekday - self.anchor.weekday()) % 7
        # "since sunday" is always behind
        if mod == "next" or (mod not in ("last", "since") and self._future(start, end) and forward):
            return _iso(self.anchor + timedelta(days=forward or 7))
        if mod == "last" and back == 0:
            back = 7
        return _iso(self.anchor - timedelta(days=back))

    def value(self, name: str, m: re.Match[str]) -> tuple[str, str] | None:
        g = {k: (v or "") for k, v in m.groupdict().items()}
        a = self.anchor
        start, end = m.start(), m.end()
        if name in ("day_month_year", "month_day_year"):
            month = _month(g["month"])
            day = int(g["day"])
            if not 1 <= day <= 31:
                return None
            return "DATE", self._day(month, day, g.get("year") or g.get("year2"), start, end)
        if name == "month_year":
            return "DATE", f"{int(g['year']):04d}-{_month(g['month']):02d}"
        if name == "iso":
            return "DATE", m.group()
        if name == "weekday_part":
            day = self._weekday(WEEKDAYS[g["weekday"].lower()], g["mod"], start, end)
            return "TIME", f"{day}T{PARTS_OF_DAY[g['part'].lower()]}"
        if name == "overnight":
            return "DATE", self._weekday(WEEKDAYS[g["weekday"].lower()], "", start, end)
        if name == "weekday":
            return "DATE", self._weekday(WEEKDAYS[g["weekday"].lower()], g["mod"], start, end)
        if name == "relative_day":
            word = g["word"].lower()
            if a is None:
                return "DATE", "XXXX-XX-XX"
            if word == "tonight":
                return "TIME", f"{_iso(a)}TNI"
            shift = {"today": 0, "yesterday": -1, "tomorrow": 1}[word]
            return "DATE", _iso(a + timedelta(days=shift))
        if name == "part_of_day":
            if a is None:
                return "TIME", f"XXXX-XX-XXT{PARTS_OF_DAY[g['part'].lower()]}"
            shift = {"this": 0, "yesterday": -1, "tomorrow": 1, "last": -1}[g["mod"].lower()]
            return "TIME", f"{_iso(a + timedelta(days=shift))}T{PARTS_OF_DAY[g['part'].lower()]}"
        if name == "ago":
            n = _number(g["count"])
            unit = g["unit"].lower().rstrip("s")
            if a is None or n == "X":
                return "DATE", "PAST_REF"
            n_int = int(float(n))
            if unit == "year":
                return "DATE", f"{a.year - n_int:04d}"
            if unit == "month":
                months = a.year * 12 + a.month - 1 - n_int
                return "DATE", f"{months // 12:04d}-{months % 12 + 1:02d}"
            if unit == "week":
                return "DATE", _week(a - timedelta(weeks=n_int))
            if unit == "day":
                return "DATE", _iso(a - timedelta(days=n_int))
            if unit == "decade":
                return "DATE", f"{(a.year - 10 * n_int) // 10}"
            return "DATE", "PAST_REF"
        if name == "relative_unit":
            mod = " ".join(g["mod"].lower().split())
            unit = " ".join(g["unit"].lower().split())
            shift = -1 if mod in ("last", "the last", "the past", "previous", "the previous") else 0
            if mod in ("next", "the coming", "coming"):
                shift = 1
            if unit == "weekend":
                unit = "week"
                if a is None:
                    return "DATE", "XXXX-WXX-WE"
                return "DATE", _week(a + timedelta(weeks=shift)) + "-WE"
            if a is None:
                return "DATE", {"week": "XXXX-WXX", "month": "XXXX-XX"}.get(unit, "XXXX")
            if unit == "week":
                return "DATE", _week(a + timedelta(weeks=shift))
            if unit == "month":
                months = a.year * 12 + a.month - 1 + shift
                return "DATE", f"{months // 12:04d}-{months % 12 + 1:02d}"
            if unit == "quarter":
                quarter = (a.month - 1) // 3 + shift
                year = a.year + quarter // 4
                return "DATE", f"{year:04d}-Q{quarter % 4 + 1}"
            return "DATE", f"{a.year + shift:04d}"
        if name == "season":
            season = SEASONS[g["season"].lower()]
            if g.get("year"):
                return "DATE", f"{int(g['year']):04d}-{season}"
            if a is None:
                return "DATE", f"XXXX-{season}"
            mod = g["mod"].lower()
            year = a.year + {"last": -1, "next": 1}.get(mod, 0)
            return "DATE", f"{year:04d}-{season}"
        if name == "month_mod":
            month = _month(g["month"])
            mod = g["mod"].lower()
            last = "last" in m.group().lower().split()
            return "DATE", self._month_year(month, start, end, "last" if last else mod)
        if name == "decade":
            return "DATE", g["decade"]
        if name == "century":
            return "DATE", f"{int(g['ordinal']) - 1:02d}"
        if name == "duration_adj":
            return "DURATION", _duration(g["count"], g["unit"])
        if name == "duration":
            return "DURATION", _duration(g["count"], g["unit"])
        if name == "set":
            unit = g["unit"].lower()
            value = {"day": "P1D", "week": "P1W", "month": "P1M", "year": "P1Y",
                     "night": "P1D",
                     "morning": "XXXX-XX-XXTMO"}[unit]  # fmt: skip
            return "SET", value
        if name == "set_adverb":
            word = g["word"].lower()
            value = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y",
                     "yearly": "P1Y", "quarterly": "P3M"}[word]  # fmt: skip
            return "SET", value
        if name == "clock_day":
            day = self._weekday(WEEKDAYS[g["weekday"].lower()], "", start, end)
            hour = _hour(int(g["hour"]), g["ampm"] or g["ampm2"])
            minute = int(g["minute"] or g["minute2"] or 0)
            return "TIME", f"{day}T{hour:02d}:{minute:02d}"
        if name in ("clock", "clock24"):
            hour = int(g["hour"])
            minute = int(g["minute"] or 0)
            ampm = g.get("ampm", "").lower().replace(".", "").replace(" ", "")
            if ampm == "pm" and hour < 12:
                hour += 12
            if ampm == "am" and hour == 12:
                hour = 0
            if hour > 23 or minute > 59:
                return None
            day = _iso(a) if a else "XXXX-XX-XX"
            return "TIME", f"{day}T{hour:02d}:{minute:02d}"
        if name == "refs":
            word = " ".join(g["word"].lower().split())
            value = {"now": "PRESENT_REF", "currently": "PRESENT_REF", "nowadays": "PRESENT_REF",
                     "these days": "PRESENT_REF", "at present": "PRESENT_REF",
                     "recently": "PAST_REF", "the past": "PAST_REF",
                     "the future": "FUTURE_REF"}[word]  # fmt: skip
            return "DATE", value
        if name == "year":
            return "DATE", g["year"]
        if name == "month":
            return "DATE", self._month_year(_month(g["month"]), start, end)
        return None


_FUTURE_STRONG = {"will", "shall", "next", "coming", "'ll", "tomorrow"}
_FUTURE_WEAK = {"would", "may", "might", "could", "due", "scheduled", "expected", "planned",
                "plans", "plan", "set"}  # fmt: skip
_PERFECT = {"had", "was", "were", "been"}
_PAST = {"said", "was", "were", "had", "did", "told", "met", "left", "came", "went", "took",
         "gave", "made", "held", "began", "broke", "fell", "rose", "won", "lost", "saw",
         "fled", "struck", "hit", "sent", "spoke", "wrote", "paid", "put", "found"}  # fmt: skip
_DETERMINERS = {"the", "a", "an", "his", "her", "its", "their", "this", "that", "our"}
#: Past forms whose "to" looks ahead ("planned to reopen on monday"): other past verbs before
#: "to" went somewhere or did something then ("returned to the town on sunday").
_INTENDED = {"expected", "scheduled", "planned", "intended", "wanted", "hoped", "agreed",
             "promised", "pledged", "vowed", "threatened", "offered", "prepared", "decided",
             "aimed", "ordered", "asked", "urged", "called", "invited", "used"}  # fmt: skip


def _tense(words: list[str], *, backwards: bool) -> bool | None:
    """True for future, False for past, None when the words do not tell (see `_future`)."""
    for i, word in enumerate(words):
        if word in _FUTURE_STRONG:
            return True
        if word in _FUTURE_WEAK:
            earlier = words[i + 1] if backwards and i + 1 < len(words) else ""
            return earlier not in _PERFECT
        if word == "to" and backwards and i > 0 and words[i - 1] not in _DETERMINERS:
            # "ready to resume on friday", "expected to resume on friday"; but "returned to
            # beshar on sunday", "tried to stop them on sunday" went or did it then
            verb = words[i + 1] if i + 1 < len(words) else ""
            return verb in _INTENDED or not (verb in _PAST or verb.endswith("ed"))
        if word in _PAST or (len(word) > 4 and word.endswith("ed")):
            return False
    return None


def _hour(hour: int, ampm: str) -> int:
    marker = ampm.lower().replace(".", "").replace(" ", "")
    if marker == "pm" and hour < 12:
        return hour + 12
    if marker == "am" and hour == 12:
        return 0
    return hour


def _week(d: date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year:04d}-W{week:02d}"


#: Words that make a bare month name an ordinary word ("may", "march").
_MONTH_FALSE_FRIENDS = {"may", "march", "mar", "jan", "jun", "sep", "dec", "oct", "nov", "aug"}


def find_times(text: str, anchor: date | None) -> list[Found]:
    """Time expressions in `text`, longest match first, no overlaps."""
    normalizer = Normalizer(text, anchor)
    taken: list[tuple[int, int]] = []
    found: list[Found] = []
    for name, pattern in PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.start(), m.end()
            surface = m.group()
            lead = len(surface) - len(surface.lstrip())
            start += lead
            if any(start < b and a < end for a, b in taken):
                continue
            if name == "month" and not _month_word_is_date(text, m):
                continue
            if name == "year" and not _year_is_date(text, m):
                continue
            if name in ("duration", "duration_adj") and _is_age(text, m.end()):
                continue  # "a 22-year-old man", "children 6 months and older"
            result = normalizer.value(name, m)
            if result is None:
                continue
            start, end = _trim(text, start, end, name)
            taken.append((start, end))
            found.append(Found(start, end, result[0], result[1]))
    return _coordinated(text, sorted(found, key=lambda f: f.start))


def _coordinated(text: str, found: list[Found]) -> list[Found]:
    """ "saturday or sunday": a day joined to the one before it follows it in time."""
    result = list(found)
    for i in range(1, len(result)):
        a, b = result[i - 1], result[i]
        between = text[a.end : b.start].strip().lower()
        if between not in ("or", "and", "to", "-", "through") or a.type != "DATE":
            continue
        try:
            first, second = date.fromisoformat(a.value), date.fromisoformat(b.value)
        except ValueError:
            continue
        if second < first and text[b.start : b.end].lower() in WEEKDAYS:
            shift = (second.weekday() - first.weekday()) % 7
            result[i] = replace(b, value=_iso(first + timedelta(days=shift)))
    return result


_LEADING_WORDS = re.compile(
    r"^(?:on|by|until|since|from|in|during|for|over|about|nearly|almost)\s+", re.IGNORECASE
)


def _trim(text: str, start: int, end: int, name: str) -> tuple[int, int]:
    """Prepositions that patterns match for context are not part of the expression."""
    lead = _LEADING_WORDS.match(text[start:end])
    if lead and name not in ("overnight",):
        start += lead.end()
    return start, end


_AGE = re.compile(r"^(?:-old|\s+old|\s+and\s+(?:older|younger|over|under)|\s+of\s+age)", re.I)


def _is_age(text: str, end: int) -> bool:
    return bool(_AGE.match(text[end : end + 20]))


def _month_word_is_date(text: str, m: re.Match[str]) -> bool:
    word = m.group("month").lower()
    if word not in _MONTH_FALSE_FRIENDS:
        return True
    before = text[max(0, m.start() - 12) : m.start()].lower().split()
    return bool(before) and before[-1] in (
        "in",
        "since",
        "until",
        "by",
        "last",
        "next",
        "early",
        "late",
        "mid",
        "of",
        "from",
        "this",
        "during",
    )


def _year_is_date(text: str, m: re.Match[str]) -> bool:
    before = text[max(0, m.start() - 20) : m.start()].lower().split()
    after = text[m.end() : m.end() + 12].lower().split()
    if after and after[0] in (
        "percent",
        "%",
        "people",
        "troops",
        "dollars",
        "euros",
        "tonnes",
        "km",
        "miles",
        "members",
    ):
        return False
    return not (before and before[-1] in ("$", "us$", "about", "some", "nearly", "almost"))


@stage("times", requires=("tokens",), assigns=("times",))
def times_stage(analysis: Analysis) -> Analysis:
    anchor = analysis.article.published
    found = find_times(analysis.text, anchor)
    times = tuple(
        TimeExpression(f"t{n}", f.start, f.end, analysis.text[f.start : f.end], f.type, f.value)  # type: ignore[arg-type]
        for n, f in enumerate(found, start=1)
    )
    return replace(analysis, times=times)
