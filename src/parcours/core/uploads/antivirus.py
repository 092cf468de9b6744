"""The antivirus every upload goes through, chosen by `settings.PARCOURS_ANTIVIRUS`:

- "" (the default): none;
- "clamd": ClamAV's daemon, over its unix socket (`PARCOURS_CLAMD_SOCKET`) or TCP
  (`PARCOURS_CLAMD_HOST`, `PARCOURS_CLAMD_PORT`, 127.0.0.1:3310 by default), with its INSTREAM
  command spoken directly (clamd(8): "zINSTREAM\\0", chunks each prefixed by its length on four
  bytes in network order, a zero-length chunk, then one reply "stream: OK" or
  "stream: <signature> FOUND");
- "package.module.callable": any scanner, called as `scan(content)`: it returns None when the
  file is clean, the name of what it found otherwise, and raises when it could not scan.

Fail closed: a scanner configured but unreachable refuses the upload ("try again later"). The
log says what happened, never who sent what.
"""

from __future__ import annotations

import logging
import socket
import struct
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024
MAX_REPLY = 4096

INFECTED = (
    "Ce fichier contient un virus ou un programme malveillant : il n'a pas été enregistré. "
    "Déposez un autre fichier, par exemple une nouvelle photo ou un nouveau scan du document."
)
UNAVAILABLE = (
    "Le contrôle antivirus des fichiers est momentanément indisponible : votre fichier n'a pas été "
    "enregistré. Réessayez dans quelques minutes."
)

Scanner = Callable[[bytes], "str | None"]


class ScannerUnavailable(Exception):
    """The scanner could not give a verdict (unreachable, timed out, answered an error)."""


def antivirus_scan(content: bytes, *, field: str = "file") -> None:
    """Nothing if the configured scanner finds `content` clean (or none is configured); else a
    French ValidationError on `field`."""
    name = getattr(settings, "PARCOURS_ANTIVIRUS", "") or ""
    if not name:
        return
    try:
        found = configured_scanner(name)(content)
    except ValidationError:
        raise
    except Exception as error:  # unreachable, timed out, a wrong dotted path: refused
        logger.warning("antivirus unavailable, upload refused: %s", type(error).__name__)
        raise ValidationError({field: UNAVAILABLE}) from error
    if found:
        logger.warning("antivirus found %s, upload refused", found[:200])
        raise ValidationError({field: INFECTED})


def configured_scanner(name: str) -> Scanner:
    """The scanner `name` designates ("clamd" or a dotted path)."""
    if name == "clamd":
        return clamd_scan
    scanner: Scanner = import_string(name)
    return scanner


def clamd_scan(content: bytes) -> str | None:
    """The signature clamd found in `content`, or None if it is clean (clamd's INSTREAM)."""
    timeout = float(getattr(settings, "PARCOURS_CLAMD_TIMEOUT", 30))
    with _clamd_connection(timeout) as connection:
        connection.sendall(b"zINSTREAM\0")
        for start in range(0, len(content), CHUNK):
            chunk = content[start : start + CHUNK]
            connection.sendall(struct.pack("!L", len(chunk)) + chunk)
        connection.sendall(struct.pack("!L", 0))
        reply = b""
        while not reply.endswith(b"\0") and len(reply) < MAX_REPLY:
            received = connection.recv(MAX_REPLY)
            if not received:
                break
            reply += received
    verdict = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    # "stream: OK", "stream: Eicar-Signature FOUND", "INSTREAM size limit exceeded. ERROR"
    if verdict == "stream: OK":
        return None
    if verdict.startswith("stream:") and verdict.endswith(" FOUND"):
        return verdict.removeprefix("stream:").removesuffix(" FOUND").strip() or "unknown"
    raise ScannerUnavailable(verdict[:200] or "no reply")


def _clamd_connection(timeout: float) -> socket.socket:
    path = getattr(settings, "PARCOURS_CLAMD_SOCKET", "") or ""
    if path:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(timeout)
        try:
            connection.connect(str(path))
        except BaseException:
            connection.close()
            raise
        return connection
    host = getattr(settings, "PARCOURS_CLAMD_HOST", "") or "127.0.0.1"
    port = int(getattr(settings, "PARCOURS_CLAMD_PORT", 3310))
    return socket.create_connection((host, port), timeout=timeout)
