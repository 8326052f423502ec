"""The partnership's own places: venues the gazetteer knows, and analysts' answers for words the
geocoder could not place (remembered and used again for the same words next month)."""

from __future__ import annotations

from django.db import models


class Venue(models.Model):
    """A pub, club, school, station or park, with the names people call it by and a point."""

    class Kind(models.TextChoices):
        PUB = "pub", "Pub or bar"
        CLUB = "club", "Nightclub"
        SCHOOL = "school", "School or college"
        STATION = "station", "Station or bus stop"
        PARK = "park", "Park or open space"
        SHOP = "shop", "Shop or takeaway"
        OTHER = "other", "Other"

    name = models.CharField(max_length=120)
    aliases = models.CharField(max_length=500, blank=True,
                               help_text="other names, separated by semicolons")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    easting = models.FloatField()
    northing = models.FloatField()
    lsoa21_code = models.CharField(max_length=12)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=254, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PlaceDecision(models.Model):
    """An analyst's answer for words the geocoder could not place (or placed unsurely)."""

    key = models.CharField(max_length=300, unique=True,
                           help_text="the words in the geocoder's canonical form")
    text = models.CharField(max_length=300, help_text="the words as first written")
    lsoa21_code = models.CharField(max_length=12, null=True, blank=True)
    easting = models.FloatField(null=True, blank=True)
    northing = models.FloatField(null=True, blank=True)
    no_place = models.BooleanField(default=False)
    answer = models.CharField(max_length=200, blank=True,
                              help_text="what the analyst gave: a postcode, an LSOA, a place")
    decided_by = models.CharField(max_length=254, blank=True)
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-decided_at"]
