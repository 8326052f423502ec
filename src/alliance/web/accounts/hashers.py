"""How passwords are stored: Argon2id at a strength OWASP recommends, at a cost measured.

OWASP's Password Storage Cheat Sheet lists equally strong Argon2id settings; this is the first,
46 MiB of memory, one pass, one lane. It is at least as strong as the scrypt Alliance used
before (Django's default, N=2^14: 16 MiB, below OWASP's scrypt minimum of N=2^17) and needs
nearly three times its memory per guess, which is what makes guessing on GPUs expensive, yet
costs a fraction of its time: benchmarks/bench_sign_in.py measures both, and Django's own
Argon2 parameters (100 MiB, 2 passes, 8 lanes), side by side (docs/deployment.md#sign-in-cost).

The algorithm name stays ``argon2`` and the parameters travel in each stored hash, so Django's
stock ``Argon2PasswordHasher`` can verify these hashes too, and any stored with other
parameters (or with scrypt or PBKDF2, still listed after this one in ``PASSWORD_HASHERS``) are
re-hashed with these at the member's next sign-in.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    """Argon2id (Django's default variant), m = 46 MiB, t = 1, p = 1 (OWASP's first setting)."""

    memory_cost = 47_104  # KiB
    time_cost = 1
    parallelism = 1
