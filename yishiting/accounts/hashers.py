"""The password hasher of the test runs (config.settings, YISHITING_TESTING): argon2 all the same — the same
algorithm, the same `argon2$argon2id$…` hashes, checked by the same code — with the smallest time and memory cost.
Production hashes with Django's parameters (100 MiB, two passes): each login, each persona's password and each demo
build would pay that in every test."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class TestArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 1024  # KiB
    parallelism = 1
