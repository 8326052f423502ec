"""The Django shell: stores, serves and schedules; the work is done by the core."""
