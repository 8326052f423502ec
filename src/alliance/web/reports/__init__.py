"""Reports built from the pool (the SNA first). No models yet: the services gather plain tables
from the pool and hand them to the framework-free core in ``alliance.report.sna``."""
