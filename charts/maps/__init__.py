"""Pure pydeck builders of the maps: flow arcs between an area and the prefectures, arcs between pairs of
prefectures, and choropleths. No Streamlit calls; the language and the prefecture outlines are passed in.

Offline by construction: `map_provider=None` and no map style (no tile server; see layers.deck); the prefecture
basemap is data (a Basemap built from the boundaries rows the database build stored from the `japanmap` package:
loaders.boundaries.prefecture_outlines), municipal outlines come from the database (loaders.boundaries), and labels
use the browser's own CJK fonts. Every layer has an `id`. Numbers are written by `formats` (△ / − negatives).

By job: colours (classes and Okabe–Ito ramps), geometry (Basemap, inset, views), labels (tooltips, placement),
layers (Deck, shared layers), decks (the three decks of the migration map page), legends (HTML).
"""
from charts.maps.colours import (BLUE, INK, NEUTRAL, NO_DATA, NO_RATE, RATE_BREAKS, VERMILLION, count_breaks,
                                 flow_classes, ramp, rate_colours)
from charts.maps.decks import choropleth_deck, choropleth_parts, flow_deck, flow_parts, pairs_deck, picked_code
from charts.maps.geometry import JAPAN_VIEW, MAP_HEIGHT, OKINAWA_SHIFT, Basemap, japan_view
from charts.maps.labels import place_labels
from charts.maps.layers import Deck, frozen_deck
from charts.maps.legends import flow_legend, pairs_legend, rate_legend

__all__ = ["BLUE", "INK", "NEUTRAL", "NO_DATA", "NO_RATE", "RATE_BREAKS", "VERMILLION", "count_breaks", "flow_classes",
           "ramp", "rate_colours", "choropleth_deck", "choropleth_parts", "flow_deck", "flow_parts", "pairs_deck", "picked_code", "JAPAN_VIEW",
           "MAP_HEIGHT", "OKINAWA_SHIFT", "Basemap", "japan_view", "place_labels", "Deck", "frozen_deck",
           "flow_legend", "pairs_legend", "rate_legend"]
