"""police.uk force identifiers and the ONS police force areas they cover.

The police.uk archive and API name forces by a slug (``northamptonshire``, ``city-of-london``);
ONS names police force areas by GSS code (``E23000022``). British Transport Police and the
Police Service of Northern Ireland publish on police.uk but have no England & Wales PFA.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Force:
    slug: str
    name: str
    pfa_code: str | None


FORCES: tuple[Force, ...] = (
    Force("metropolitan", "Metropolitan Police Service", "E23000001"),
    Force("cumbria", "Cumbria Constabulary", "E23000002"),
    Force("lancashire", "Lancashire Constabulary", "E23000003"),
    Force("merseyside", "Merseyside Police", "E23000004"),
    Force("greater-manchester", "Greater Manchester Police", "E23000005"),
    Force("cheshire", "Cheshire Constabulary", "E23000006"),
    Force("northumbria", "Northumbria Police", "E23000007"),
    Force("durham", "Durham Constabulary", "E23000008"),
    Force("north-yorkshire", "North Yorkshire Police", "E23000009"),
    Force("west-yorkshire", "West Yorkshire Police", "E23000010"),
    Force("south-yorkshire", "South Yorkshire Police", "E23000011"),
    Force("humberside", "Humberside Police", "E23000012"),
    Force("cleveland", "Cleveland Police", "E23000013"),
    Force("west-midlands", "West Midlands Police", "E23000014"),
    Force("staffordshire", "Staffordshire Police", "E23000015"),
    Force("west-mercia", "West Mercia Police", "E23000016"),
    Force("warwickshire", "Warwickshire Police", "E23000017"),
    Force("derbyshire", "Derbyshire Constabulary", "E23000018"),
    Force("nottinghamshire", "Nottinghamshire Police", "E23000019"),
    Force("lincolnshire", "Lincolnshire Police", "E23000020"),
    Force("leicestershire", "Leicestershire Police", "E23000021"),
    Force("northamptonshire", "Northamptonshire Police", "E23000022"),
    Force("cambridgeshire", "Cambridgeshire Constabulary", "E23000023"),
    Force("norfolk", "Norfolk Constabulary", "E23000024"),
    Force("suffolk", "Suffolk Constabulary", "E23000025"),
    Force("bedfordshire", "Bedfordshire Police", "E23000026"),
    Force("hertfordshire", "Hertfordshire Constabulary", "E23000027"),
    Force("essex", "Essex Police", "E23000028"),
    Force("thames-valley", "Thames Valley Police", "E23000029"),
    Force("hampshire", "Hampshire Constabulary", "E23000030"),
    Force("surrey", "Surrey Police", "E23000031"),
    Force("kent", "Kent Police", "E23000032"),
    Force("sussex", "Sussex Police", "E23000033"),
    Force("city-of-london", "City of London Police", "E23000034"),
    Force("devon-and-cornwall", "Devon & Cornwall Police", "E23000035"),
    Force("avon-and-somerset", "Avon and Somerset Constabulary", "E23000036"),
    Force("gloucestershire", "Gloucestershire Constabulary", "E23000037"),
    Force("wiltshire", "Wiltshire Police", "E23000038"),
    Force("dorset", "Dorset Police", "E23000039"),
    Force("north-wales", "North Wales Police", "W15000001"),
    Force("gwent", "Gwent Police", "W15000002"),
    Force("south-wales", "South Wales Police", "W15000003"),
    Force("dyfed-powys", "Dyfed-Powys Police", "W15000004"),
    Force("btp", "British Transport Police", None),
    Force("northern-ireland", "Police Service of Northern Ireland", None),
)

_BY_SLUG = {f.slug: f for f in FORCES}
_BY_PFA = {f.pfa_code: f for f in FORCES if f.pfa_code}


def force(slug: str) -> Force:
    """The force with police.uk id ``slug``; a clear error lists the known ids otherwise."""
    try:
        return _BY_SLUG[slug]
    except KeyError:
        close = [s for s in _BY_SLUG if s.startswith(slug[:4])] or sorted(_BY_SLUG)[:5]
        raise KeyError(f"unknown police.uk force {slug!r}; did you mean {', '.join(close)}?")\
            from None


def force_for_pfa(pfa_code: str) -> Force | None:
    return _BY_PFA.get(pfa_code)
