"""Geography core: ONS areas, LSOA boundaries, deprivation and population (no Django).

* :mod:`alliance.geo.ons` — read a folder of published files into :class:`GeographyTables`.
* :mod:`alliance.geo.areas` — :class:`Geography`: resolve a partnership's area to LSOAs 2021.
* :mod:`alliance.geo.spatial` — place points in LSOA 2021 polygons; lon/lat to British Grid.
* :mod:`alliance.geo.lsoa_convert` — LSOA 2011 codes and counts to LSOA 2021.
* :mod:`alliance.geo.download` — fetch the same files from ONS and MHCLG when online.
"""
