"""Shared inline records for the drafting tests (Latvian characters on purpose)."""

from __future__ import annotations

from datetime import date

import pytest

from grantmatch.models import GrantCall, NgoProfile

TODAY = date(2027, 1, 10)
LV_CHARS = "āčēģīķļņšūž"


@pytest.fixture
def profile() -> NgoProfile:
    return NgoProfile.from_dict(
        {
            "id": "zalais-kvartals",
            "name": "biedrība “Zaļais kvartāls”",
            "legal_form": "association",
            "city": "Liepāja",
            "region": "Kurzeme",
            "country": "LV",
            "priority_area": "environment_community",
            "mission": f"Mēs stiprinām apkaimes kopienu un dabas izglītību Liepājā ({LV_CHARS}).",
            "activities": ["koplietošanas dārzu ierīkošana", "vides izglītības darbnīcas bērniem", "talkas"],
            "target_groups": ["apkaimes iedzīvotāji", "ģimenes ar bērniem"],
            "languages": ["lv"],
        }
    )


@pytest.fixture
def sif_call() -> GrantCall:
    return GrantCall.from_dict(
        {
            "id": "sif-nvo-fonds-2027",
            "source": "sif",
            "title": "NVO fonds 2027: pilsoniskās sabiedrības aktivitātes",
            "url": "https://www.sif.gov.lv/nvo-fonds-2027",
            "language": "lv",
            "funder": "Sabiedrības integrācijas fonds",
            "programme": "NVO fonds",
            "summary": (
                "Programmas mērķis ir stiprināt pilsonisko sabiedrību un veicināt iedzīvotāju līdzdalību. "
                "Atbalstāmās aktivitātes ir kopienu pasākumi, izglītojošas darbnīcas un brīvprātīgo darbs. "
                "Pieteikties var biedrības un nodibinājumi, kas reģistrēti Latvijā vismaz vienu gadu. "
                "Projekta iesniedzējam jānodrošina līdzfinansējums vismaz 10% apmērā. "
                "Vērtēšanas kritēriji: atbilstība programmas mērķim, mērķa grupas iesaiste un budžeta pamatotība. "
                "Laikapstākļi Kurzemē ir mainīgi."
            ),
            "eligible_applicants": ["association", "foundation"],
            "geography": ["LV"],
            "max_amount_eur": 30000,
            "min_amount_eur": 5000,
            "cofinancing_pct": 10,
            "deadline": "2027-02-22",
        }
    )


@pytest.fixture
def eu_call() -> GrantCall:
    return GrantCall.from_dict(
        {
            "id": "eu-ft-cerv-2027-citizens",
            "source": "eu-ft",
            "title": "CERV citizens' engagement",
            "url": "https://ec.europa.eu/info/funding-tenders/cerv-2027",
            "language": "en",
            "funder": "European Commission",
            "programme": "Citizens, Equality, Rights and Values Programme (CERV)",
            "summary": (
                "The call aims to promote citizens' engagement in the democratic life of the Union. "
                "Applicants must be non-profit organisations established in an eligible country. "
                "Proposals will be evaluated against the award criteria: relevance, quality and impact. "
                "The EU grant may not exceed 90% of eligible costs. "
                "Brussels is a city."
            ),
            "eligible_applicants": ["association", "foundation"],
            "geography": ["EU"],
            "max_amount_eur": 100000,
            "cofinancing_pct": 10,
            "deadline": "2027-03-15",
        }
    )
