"""E-mail addresses kept out of what staff read and of the logs: an error of a failed send quotes its
recipient (smtplib's SMTPRecipientsRefused), and django.tasks logs every failed task's traceback."""

from __future__ import annotations

import logging
import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
MASK = "[adresse masquée]"


def mask_emails(text: str) -> str:
    return EMAIL.sub(MASK, text)


class MaskEmails(logging.Filter):
    """A logging filter: the message and the traceback of a record leave with addresses masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_emails(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_emails(record.exc_text)
        return True
