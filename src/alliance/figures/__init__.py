"""The published figures: one function per figure, over one suppressed lattice.

Every count, rate, interval, change, trend and hot spot label that the dashboard, the SNA, the
CLI and later reports show is computed here, from one :class:`~alliance.figures.cube.CountCube`
through one :class:`~alliance.figures.publication.Publication`, so two outputs for the same area,
period and category cannot disagree, and no combination of them recovers a small count.
"""
