"""The dashboards keep no records of their own (SNA builds moved to ``alliance.web.reports``)."""
