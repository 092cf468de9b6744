"""One iCalendar file (RFC 5545) per session: "Ajouter à mon agenda".

The `icalendar` package is not installed: the few properties a meeting needs are written here.
Times in UTC (the "Z" form, RFC 5545 §3.3.5 form #2): every agenda shows them in its own time
zone, without a VTIMEZONE block to keep in step with Europe/Paris's rules. Text values escaped
(§3.3.11), lines ended by CRLF and folded at 75 octets without cutting a UTF-8 character (§3.1).
"""

from __future__ import annotations

from datetime import UTC, datetime

PRODID = "-//Caf//parcours soutien a la parentalite//FR"
LIMIT = 75  # octets per line, CRLF excluded


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon, comma and new lines escaped."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """A content line folded at 75 octets: the continuation lines start with one space."""
    out: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = LIMIT if not out else LIMIT - 1  # a continuation line starts with the space
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event_calendar(
    *,
    uid: str,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    location: str,
    description: str = "",
    stamp: datetime,
    cancelled: bool = False,
) -> bytes:
    """A VCALENDAR with one VEVENT, as bytes (UTF-8, CRLF). A cancelled session keeps its UID
    with STATUS:CANCELLED, so an agenda that imported it can remove it."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{'CANCEL' if cancelled else 'PUBLISH'}",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{utc(stamp)}",
        f"DTSTART:{utc(starts_at)}",
        f"DTEND:{utc(ends_at)}",
        f"SUMMARY:{escape_text(summary)}",
        f"LOCATION:{escape_text(location)}",
    ]
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    lines += [
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
