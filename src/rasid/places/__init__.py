"""rasid.places: the gazetteer (GeoNames + curated places) and the geocoder."""

from rasid.places.gazetteer import Gazetteer, Place, load_gazetteer
from rasid.places.geocode import PlaceCandidate, geocode

__all__ = ["Gazetteer", "Place", "PlaceCandidate", "geocode", "load_gazetteer"]
