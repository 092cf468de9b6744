"""JSON API of this app, mounted under /api/v1/."""

from ninja import Router

router = Router(tags=["separation"])
