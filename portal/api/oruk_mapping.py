"""The directory as Open Referral UK (HSDS 3.0 UK profile) JSON. Pure functions over loaded rows.

Only what an organisation publishes about itself and its services goes out: never a person, a case, a referral
or a count of either. Identifiers are UUIDs derived from the row ids with uuid5 and a fixed namespace, so they
stay the same from one request to the next and reveal nothing about the database.
"""

import uuid
from collections.abc import Mapping

from portal.paging import page_count
from portal.support import schedules
from portal.support.assessments import LEVEL_WORDS
from portal.support.enums import Delivery, ServiceKind
from portal.support.matching import LANGUAGE_NAMES
from portal.support.models import Organisation, SupportService

# Never change this: every published id is derived from it.
NAMESPACE = uuid.UUID("377bdd69-74d7-4398-aca7-49708e8b86c8")
# ISO 639 codes where ours differ: British Sign Language is "bfi" in ISO 639-3.
ISO_CODES = {"bsl": "bfi"}
CITY = "London"
REGION = "Greater London"
COUNTRY = "GB"


def oruk_id(kind: str, *parts: object) -> str:
    """A stable UUID for one published thing, for example oruk_id("service", 12)."""
    return str(uuid.uuid5(NAMESPACE, ":".join([kind, *(str(part) for part in parts)])))


def _present(values: dict) -> dict:
    """Leave out empty values: the schema has no nulls."""
    return {key: value for key, value in values.items() if value not in (None, "", [])}


def _web_address(value: str | None) -> str | None:
    return value if value and value.startswith(("https://", "http://")) else None


def organization(organisation: Organisation) -> dict:
    """An organisation, with only the contact details it publishes."""
    return _present({
        "id": oruk_id("organization", organisation.id),
        "name": organisation.name,
        "description": organisation.description,
        "email": organisation.email,
        "website": _web_address(organisation.website),
    })


def service_summary(service: SupportService) -> dict:
    """A service's one-to-one fields and its organisation, as in the paged list."""
    organisation = service.organisation
    return _present({
        "id": oruk_id("service", service.id),
        "organization_id": oruk_id("organization", organisation.id),
        "name": service.name,
        "description": service.description,
        "url": _web_address(organisation.website),
        "email": organisation.email,
        "status": "active",
        "accreditations": organisation.accreditation_body,
        "assured_date": organisation.assured_date.isoformat() if organisation.assured_date else None,
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "last_modified": service.updated_at.isoformat() if service.updated_at else None,
        "organization": organization(organisation),
    })


def _languages(service: SupportService, service_id: str) -> list[dict]:
    return [{"id": oruk_id("language", service.id, code), "service_id": service_id,
             "name": LANGUAGE_NAMES.get(code, code), "code": ISO_CODES.get(code, code)}
            for code in service.languages or []]


def _service_areas(service: SupportService, service_id: str) -> list[dict]:
    if not service.boroughs:
        return [{"id": oruk_id("service_area", service.id, "london"), "service_id": service_id,
                 "name": "All London boroughs", "service_area": CITY}]
    return [{"id": oruk_id("service_area", service.id, borough), "service_id": service_id, "name": borough,
             "service_area": borough} for borough in service.boroughs]


def _schedules(service: SupportService, service_id: str) -> list[dict]:
    schedule = schedules.of(service)
    if schedule.freq is None or schedules.check(schedule) is not None:
        return []
    return [_present({
        "id": oruk_id("schedule", service.id), "service_id": service_id, "freq": schedule.freq,
        "interval": schedule.interval, "byday": schedule.byday, "opens_at": schedule.opens_at,
        "closes_at": schedule.closes_at, "description": schedules.describe(schedule),
        "attending_type": service.delivery.value,
    })]


def _locations(service: SupportService, service_id: str) -> list[dict]:
    places = []
    if service.delivery in (Delivery.IN_PERSON, Delivery.BOTH) and (service.location_name or service.address):
        location_id = oruk_id("location", service.id)
        location = {"id": location_id, "location_type": "physical",
                    "name": service.location_name or service.address}
        if service.address and service.postcode:
            location["addresses"] = [{"id": oruk_id("address", service.id), "location_id": location_id,
                                      "address_1": service.address, "city": CITY, "state_province": REGION,
                                      "postal_code": service.postcode, "country": COUNTRY,
                                      "address_type": "physical"}]
        if service.accessibility:
            location["accessibility"] = [{"id": oruk_id("accessibility", service.id), "location_id": location_id,
                                          "description": service.accessibility}]
        places.append(location)
    if service.delivery in (Delivery.ONLINE, Delivery.BOTH):
        places.append({"id": oruk_id("virtual_location", service.id), "location_type": "virtual",
                       "name": "Online"})
    return [{"id": oruk_id("service_at_location", service.id, place["location_type"]), "service_id": service_id,
             "location_id": place["id"], "location": place} for place in places]


def _attribute(service: SupportService, service_id: str, taxonomy: str, term: str, name: str,
               description: str) -> dict:
    term_id = oruk_id("taxonomy_term", taxonomy, term)
    return {"id": oruk_id("attribute", service.id, taxonomy, term), "link_id": service_id, "link_type": "service",
            "taxonomy_term_id": term_id,
            "taxonomy_term": {"id": term_id, "name": name, "description": description, "taxonomy": taxonomy,
                              "term": term}}


def _attributes(service: SupportService, service_id: str, category_names: Mapping[str, str]) -> list[dict]:
    kind = {
        ServiceKind.PEER_GROUP: ("Peer-support group", "A group where people affected by crime support each other"),
        ServiceKind.PEER_ONE_TO_ONE: ("One-to-one peer support", "A peer supporter accepted by the organisation, "
                                                                 "paired with one person affected by crime"),
        ServiceKind.RESTORATIVE_JUSTICE: ("Restorative justice", "Helps a victim communicate with the person who "
                                                                 "harmed them, if both agree"),
    }.get(service.kind, ("Support service", "Support from staff or volunteers"))
    found = [_attribute(service, service_id, "service_kind", service.kind.value, *kind)]
    found += [_attribute(service, service_id, "support_level", level, LEVEL_WORDS.get(level, level),
                         f"Offers this level of support: {LEVEL_WORDS.get(level, level).lower()}")
              for level in service.levels or []]
    found += [_attribute(service, service_id, "crime_category", code, category_names.get(code, code),
                         f"Specialises in helping people after: {category_names.get(code, code).lower()}")
              for code in service.categories or []]
    return found


def service_full(service: SupportService, category_names: Mapping[str, str]) -> dict:
    """A fully nested service: the summary plus languages, areas, schedule, locations and attributes."""
    data = service_summary(service)
    service_id = data["id"]
    data.update(_present({
        "languages": _languages(service, service_id),
        "service_areas": _service_areas(service, service_id),
        "schedules": _schedules(service, service_id),
        "service_at_locations": _locations(service, service_id),
        "attributes": _attributes(service, service_id, category_names),
    }))
    return data


def page(contents: list[dict], total: int, number: int, per_page: int) -> dict:
    """One page of a list, in the shape the ORUK API gives every list."""
    pages = page_count(total, per_page)
    return {"total_items": total, "total_pages": pages, "page_number": number, "size": len(contents),
            "first_page": number == 1, "last_page": number >= pages, "empty": total == 0,
            "contents": contents}
