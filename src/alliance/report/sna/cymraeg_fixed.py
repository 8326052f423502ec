"""The Welsh of the public summary's fixed sentences, keyed by the English the SNA prints.

Each key is the constant the report itself uses (imported, not copied), so a change to the
English drops its Welsh out of the table and the page marks the new English ``lang="en"``
rather than showing an out-of-date translation. Where the English points staff to a screen
of the workspace (which is in English only), the Welsh leaves the pointer out: residents
reading the summary do not use the workspace.
"""

from __future__ import annotations

from alliance.privacy.suppression import MARKER
from alliance.report.sna import voice
from alliance.report.sna.common import DRAFT_NOTICE, POLICE_UK, TITLE
from alliance.report.sna.partners import CORE_MEASURES, PER
from alliance.report.sna.recommend import INTRO, NONE_YET
from alliance.report.sna.requests import (
    BASIS_KEY,
    CORE_NOT_POOLED,
    NO_VOICE,
    SCORECARD_NOT_POOLED,
)

#: police.uk's category names as police.uk's Welsh pages give them
CATEGORIES = {
    "Violence and sexual offences (proxy)": "Trais a throseddau rhywiol (procsi)",
    "Violence and sexual offences": "Trais a throseddau rhywiol",
    "Robbery": "Lladrata",
    "Possession of weapons": "Meddu ar arfau",
    "Public order": "Trefn gyhoeddus",
    "Criminal damage and arson": "Difrod troseddol a llosgi bwriadol",
    "Anti-social behaviour": "Ymddygiad gwrthgymdeithasol",
    "Drugs": "Cyffuriau",
    "Burglary": "Byrgleriaeth",
    "Shoplifting": "Dwyn o siopau",
    "Theft from the person": "Dwyn oddi ar y person",
    "Vehicle crime": "Troseddau cerbydau",
    "Bicycle theft": "Dwyn beiciau",
    "Other theft": "Dwyn arall",
    "Other crime": "Troseddau eraill",
}

_SCORECARD_CY = (
    ("C1/C1u Derbyniadau i'r ysbyty am ymosodiad â gwrthrych miniog (pob oed; dan 25 oed)",
     "HES GIG Lloegr drwy'r ICB / OHID", "heb ei gyfuno"),
    ("C2/C2u Trais difrifol â chyllell neu offeryn miniog (pob oed; dioddefwyr dan 25 oed)",
     "System troseddau'r heddlu (baner cyllell ADR 160)",
     "heb ei gyfuno: nid oes gan police.uk faner cyllell"),
    ("C3 Dynladdiad (nid domestig; dan 25 oed; yn ymwneud â chyllell)",
     "Yr heddlu / Mynegai Dynladdiad y Swyddfa Gartref",
     "heb ei gyfuno: mae police.uk yn cyfrif dynladdiad o dan 'Trais a throseddau rhywiol'"),
)

_MEASURES_CY = {
    "Hospital attendances for assault with a knife or sharp object": (
        "Ymweliadau ag ysbytai yn dilyn ymosodiad â chyllell neu wrthrych miniog"),
    "Knife or sharp instrument enabled serious violence": (
        "Trais difrifol â chyllell neu offeryn miniog"),
    "Non-domestic homicide": "Dynladdiad nad yw'n ddomestig",
}

FIXED: dict[str, str] = {
    TITLE: "Asesiad Strategol o Anghenion Trais Difrifol",
    f"{TITLE} (draft)": "Asesiad Strategol o Anghenion Trais Difrifol (drafft)",
    f"{TITLE}: summary": "Asesiad Strategol o Anghenion Trais Difrifol: crynodeb",
    f"{TITLE} (draft): summary": "Asesiad Strategol o Anghenion Trais Difrifol (drafft): "
                                 "crynodeb",
    DRAFT_NOTICE: ("Drafft, nid i'w gyhoeddi: nid yw ei gyfnod yn un o flynyddoedd adrodd y "
                   "bartneriaeth, felly nid yw ei ffigurau ar gyfer ardaloedd bach wedi'u "
                   "diogelu rhag ffigurau eraill a gyhoeddwyd."),
    # sources and suppression under the tables (the Welsh PDF prints them)
    POLICE_UK: "troseddau lefel stryd police.uk (data.police.uk)",
    "Home Office Serious Violence Duty core measures": ("mesurau craidd Dyletswydd Trais "
                                                        "Difrifol y Swyddfa Gartref"),
    "as in the chapters each figure comes from": "fel yn y penodau y daw pob ffigur ohonynt",
    "not suppressed": "dim wedi'i atal",
    "[c]": "[c]",  # the marker of a hidden number (ONS), the same in both languages
    # the sections' titles
    "Executive summary": "Crynodeb gweithredol",
    "Key findings": "Prif ganfyddiadau",
    "Recommendations": "Argymhellion",
    "Core outcome measures": "Mesurau canlyniad craidd",
    "Community voice": "Llais y gymuned",
    "The figures held give no finding yet.": "Nid yw'r ffigurau sydd gennym yn rhoi unrhyw "
                                             "ganfyddiad eto.",
    NONE_YET: ("Nid yw'r bartneriaeth wedi ysgrifennu ei hargymhellion eto. Bydd pob un yn "
               "seiliedig ar un o ganfyddiadau'r adroddiad hwn ac yn enwi perchennog, mesur a "
               "llinell sylfaen."),
    INTRO: ("Argymhellion y bartneriaeth. Mae pob un yn seiliedig ar un o ganfyddiadau'r "
            "adroddiad hwn, yn enwi'r sefydliad sy'n gyfrifol amdano ac yn dweud sut y caiff "
            "cynnydd ei fesur, o'r llinell sylfaen a roddir (y ffigur pan ysgrifennwyd yr "
            "argymhelliad)."),
    CORE_NOT_POOLED: (
        "Mae'r Swyddfa Gartref yn gofyn i ardaloedd y ddyletswydd olrhain tri mesur craidd: "
        "derbyniadau i'r ysbyty am ymosodiad â gwrthrych miniog, trais difrifol â chyllell a "
        "gofnodwyd gan yr heddlu, a dynladdiad, pob un hefyd ar gyfer pobl dan 25 oed. Ni ellir "
        "cyfrifo'r un ohonynt o ddata agored police.uk, sydd heb godau troseddau, baneri "
        "cyllyll nac oedrannau. Caiff y cerdyn sgorio isod ei lenwi pan fydd data'r "
        "partneriaid wedi'i gyfuno."),
    "Home Office core outcome measures: scorecard": ("Mesurau canlyniad craidd y Swyddfa "
                                                     "Gartref: cerdyn sgorio"),
    "Measure": "Mesur",
    "Source": "Ffynhonnell",
    "Baseline": "Llinell sylfaen",
    "Latest": "Diweddaraf",
    "Change (95% CI)": "Newid (cyfwng hyder 95%)",
    "Status": "Statws",
    **{en: cy for en_row, cy_row in zip(SCORECARD_NOT_POOLED, _SCORECARD_CY, strict=True)
       for en, cy in zip(en_row, cy_row, strict=True)},
    # the scorecard once partners' data is pooled (its figures are numbers, its ranges
    # put into Welsh by the summary's translator)
    "Year": "Blwyddyn",
    "Count": "Nifer",
    f"Rate per {PER:,} a year (95% CI)": (f"Cyfradd fesul {PER:,} y flwyddyn (cyfwng hyder "
                                          "95%)"),
    "Under 25: count": "Dan 25 oed: nifer",
    f"Under 25: rate per {PER:,} a year (95% CI)": (f"Dan 25 oed: cyfradd fesul {PER:,} y "
                                                    "flwyddyn (cyfwng hyder 95%)"),
    "pooled": "wedi'i gyfuno",
    "no whole reporting year held yet": "dim blwyddyn adrodd gyfan wedi'i chadw eto",
    "whole area only": "yr ardal gyfan yn unig",
    **{m.label: _MEASURES_CY[m.label] for m in CORE_MEASURES if m.label in _MEASURES_CY},
    BASIS_KEY: (
        "Seiliau cyfreithiol yn nhablau'r ceisiadau am ddata: *PCSC Act 2022 s.16* — Deddf yr "
        "Heddlu, Troseddu, Dedfrydu a Llysoedd 2022, Rhan 2 Pennod 1 (y Ddyletswydd Trais "
        "Difrifol), sy'n caniatáu i awdurdodau penodedig ac awdurdodau perthnasol ddatgelu "
        "gwybodaeth i'w gilydd at ddibenion y ddyletswydd; *CDA 1998 s.115, s.17A* — pŵer "
        "Deddf Trosedd ac Anhrefn 1998 i ddatgelu gwybodaeth i awdurdodau perthnasol a'r "
        "ddyletswydd i rannu gwybodaeth wedi'i dadbersonoli; *UK GDPR 6(1)(e); DPA 2018* — "
        "prosesu ar gyfer tasg er budd y cyhoedd, gydag amodau Atodlen 1 Deddf Diogelu Data "
        "2018 ar gyfer data categori arbennig. Nid yw'r pwerau datgelu yn drech na chyfraith "
        "diogelu data: gofynnir am ddata cyfanredol neu ffugenwol lle bynnag y mae hynny'n "
        "ddigon."),
    NO_VOICE: (
        "Nid oes canlyniadau ymgysylltu â'r gymuned wedi'u cyfuno eto. Mae'r ddyletswydd yn "
        "disgwyl i'r asesiad ystyried barn cymunedau, plant a phobl ifanc ac ymarferwyr: pa "
        "mor ddiogel y mae pobl yn teimlo, ble maent yn teimlo'n anniogel, a beth maent yn "
        "gofyn amdano."),
    # the community voice chapter's tables (what people said stays in their words)
    "Engagement log: consultations and how people took part": (
        "Cofnod ymgysylltu: ymgynghoriadau a sut y cymerodd pobl ran"),
    "Consultation": "Ymgynghoriad",
    "When": "Pryd",
    "Ways to take part": "Ffyrdd o gymryd rhan",
    "Responses": "Ymatebion",
    "none yet": "dim eto",
    "Statement conversations: opinion groups and consensus": (
        "Sgyrsiau datganiadau: grwpiau barn a chonsensws"),
    "Conversation": "Sgwrs",
    "Question": "Cwestiwn",
    "Participants": "Cyfranogwyr",
    "Opinion groups (sizes)": "Grwpiau barn (maint)",
    "What unites them": "Beth sy'n eu huno",
    "Themes in what people said": "Themâu yn yr hyn a ddywedodd pobl",
    "Texts": "Testunau",
    "Theme": "Thema",
    "In their words": "Yn eu geiriau eu hunain",
    "Conversation statements": "Datganiadau'r sgwrs",
    "You said": "Dywedoch chi",
    "We did": "Gwnaethom ni",
}


def voice_intros(threshold: int) -> dict[str, str]:
    """The community voice chapter's fixed paragraphs for a suppression ``threshold``."""
    return {
        voice.conversations_intro(threshold): (
            "Cynigiodd trigolion a phobl ifanc ddatganiadau byr a phleidleisio ar ddatganiadau "
            "ei gilydd (dull Pol.is: grwpiau barn o'r pleidleisiau, datganiadau sy'n "
            "cynrychioli pob grŵp, a datganiadau y mae pob grŵp yn cytuno arnynt). Dangosir "
            f"grwpiau o lai na {threshold} fel {MARKER}."),
        voice.themes_intro(threshold): (
            "Mae themâu yn grwpio testun rhydd yn ôl ei ystyr: datganiadau derbyniol y "
            "sgyrsiau, ac atebion arolygon a nodiadau gweithdai a lwythwyd i fyny. Mae model "
            "iaith sy'n rhedeg ar weinydd y bartneriaeth ei hun yn gosod pob testun yn ôl ei "
            "ystyr; mae testunau sy'n agos at ei gilydd yn ffurfio thema, wedi'i labelu â'i "
            "geiriau mwyaf nodweddiadol oni bai bod dadansoddwr wedi'i hailenwi, a bu "
            "dadansoddwr yn eu gwirio, eu cyfuno, eu rhannu neu eu hailgodio. Gall testun "
            "berthyn i fwy nag un thema, felly gall y niferoedd adio i fwy na nifer y "
            "testunau. Geiriau'r cyfranogwyr eu hunain yw'r dyfyniadau (datganiadau derbyniol "
            "yn unig, testunau heb ddata personol ynddynt). Dangosir niferoedd o lai na "
            f"{threshold} fel {MARKER} a gadewir eu dyfyniadau allan."),
        voice.engagement_intro(threshold): (
            "Gofynnodd y bartneriaeth i drigolion a phobl ifanc yn uniongyrchol: "
            "ymgynghoriadau ag arolygon (ar-lein, ar bapur ac mewn gweithdai), mapiau o'r "
            "mannau lle mae pobl yn teimlo'n anniogel, sgyrsiau datganiadau a gweithdai. "
            f"Dangosir niferoedd o lai na {threshold} fel {MARKER}."),
    }
