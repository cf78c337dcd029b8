"""What every reader of the centre on the lead's desk holds: where the centre is, how to
find the login's password, and the desk's reused connections (none: a new one per read)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agent_app.storage.central.connect import CentralTarget, PasswordLookup
    from agent_app.storage.central.link import CentralLink


class CentralSource:
    """Base of the desk's centre sources (figures, review queue, conflicts, quality, 质检)."""

    def __init__(
        self,
        target: CentralTarget,
        *,
        password_lookup: PasswordLookup | None = None,
        link: CentralLink | None = None,
    ) -> None:
        self.target = target
        self.password_lookup = password_lookup
        self.link = link
        """The desk's reused connections (None: a new connection per read)."""
