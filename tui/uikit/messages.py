"""Messages shared by several screens and widgets."""

from __future__ import annotations

from textual.message import Message


class NotificationArrived(Message, bubble=False):
    """A new notification for the logged-in user was inserted (by this app or the web app)."""

    def __init__(self, notification_id: str) -> None:
        super().__init__()
        self.notification_id = notification_id
