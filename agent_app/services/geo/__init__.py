"""Address → place → responsible unit: offline gazetteer, geopy geocoders, nearby tickets.

Import the submodules directly; this package keeps its import cheap:

* :mod:`.gazetteer` – :class:`Gazetteer` (``resolve(text, district_hint)`` → ``PlaceResult``),
  :func:`jurisdiction_unit`;
* :mod:`.geocoder` – :class:`GazetteerGeocoder` (geopy ``Geocoder``), :class:`CompositeGeocoder`,
  :func:`make_nominatim`;
* :mod:`.nearby` – :func:`nearby`;
* :mod:`.mapdata` – district polygons (WGS-84) for the map pane and point-in-district tests;
* :mod:`.tiles` – slippy-map (XYZ) tile arithmetic for the map pane's optional base layer.
"""
