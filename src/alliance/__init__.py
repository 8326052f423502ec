"""Alliance: the software a Serious Violence Duty partnership runs on.

The package is two layers. The *core* (``sources``, ``geo``, ``pool``, ``stats``, ``voice``,
``privacy``, ``report``) is plain Python over pandas, NumPy, PyArrow and Shapely: it takes tables
and returns tables or frozen result objects, and knows nothing of Django (an import-linter
contract, run by the tests, keeps it that way). The *shell* (``web`` — a Django project — and
``cli``) stores, serves and schedules, calling the core.
"""

__version__ = "0.1.0"
