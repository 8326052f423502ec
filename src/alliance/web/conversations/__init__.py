"""Statement conversations by the Pol.is method: public voting pages, moderation and results."""
