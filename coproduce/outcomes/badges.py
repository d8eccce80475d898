"""Badge awards as Open Badges 3.0 credentials (JSON-LD Verifiable Credentials, VC data model 2.0).

    credential(award, base_url="https://coproduce.example") -> dict

The credential is *unsigned* (no `proof`): it is the document an issuer signs or hosts; the hosted
URL (`id`) is where a verifier fetches it. Shape (OB 3.0, 1EdTech; context 3.0.3):

- ``@context``: the VC 2.0 context, then the OB 3.0.3 context.
- ``type``: ``["VerifiableCredential", "OpenBadgeCredential"]``; ``id``: the award's URL.
- ``issuer``: a ``Profile`` – the organisation (id: its page URL, name, url/email when known).
- ``validFrom``: when the award was made (UTC, ISO 8601 with "Z"); ``name``: the badge name.
- ``credentialSubject``: an ``AchievementSubject``. Its ``id`` is a pseudonymous ``urn:uuid`` derived
  from the person with the site's secret (stable, not reversible to the person's row); when the
  person has an email address, ``identifier`` carries it **hashed and salted** (``IdentityObject``,
  ``emailAddress``) so the holder can prove it is theirs without publishing it.
- ``achievement``: an ``Achievement`` with ``id`` (the badge's URL), ``name``, ``description`` and
  ``criteria.narrative``.

`SCHEMA_PATH` is a JSON Schema (draft 2019-09) written from the specification's data model for the
parts used here; `validate` checks a document against it with `jsonschema` when installed, and with
the small structural validator below otherwise (it supports the keywords the schema uses).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "ob_v3p0_achievementcredential_schema.json"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def subject_id(person_pk: int, secret: str) -> str:
    digest = hmac.new(secret.encode(), f"coproduce-person:{person_pk}".encode(), hashlib.sha256).digest()
    return f"urn:uuid:{uuid.UUID(bytes=digest[:16], version=4)}"


def hashed_email(email: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def credential(award, base_url: str) -> dict:
    from django.conf import settings
    from django.urls import reverse

    base = base_url.rstrip("/")
    badge, organisation, person = award.badge, award.badge.organisation, award.person
    issuer = {"id": base + organisation.get_absolute_url(), "type": ["Profile"], "name": organisation.name}
    if organisation.website:
        issuer["url"] = organisation.website
    if organisation.email:
        issuer["email"] = organisation.email
    subject = {
        "id": subject_id(person.pk, settings.SECRET_KEY),
        "type": ["AchievementSubject"],
        "achievement": {
            "id": base + badge.get_absolute_url(),
            "type": ["Achievement"],
            "name": badge.name,
            "description": badge.description,
            "criteria": {"narrative": badge.criteria},
        },
    }
    if person.email and person.erased_at is None:
        salt = award.uuid.hex[:16]
        subject["identifier"] = [{
            "type": "IdentityObject", "identityType": "emailAddress", "hashed": True,
            "identityHash": hashed_email(person.email, salt), "salt": salt,
        }]
    document = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": base + reverse("outcomes:award_credential", args=[award.uuid]),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer,
        "validFrom": _iso(award.issued_at),
        "name": badge.name,
        "credentialSubject": subject,
    }
    if award.revoked_at is not None:
        document["validUntil"] = _iso(award.revoked_at)
    return document


# --- validation --------------------------------------------------------------------------------


def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text())


def _format_checker():
    import jsonschema

    checker = jsonschema.FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def is_date_time(value) -> bool:
        # RFC 3339 date-time: a full date, a time and a time zone.
        if not isinstance(value, str):
            return True
        if not DATE_TIME.match(value):
            raise ValueError(f"{value!r} is not an RFC 3339 date-time")
        datetime.fromisoformat(value.replace("Z", "+00:00"))
        return True

    return checker


DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def validate(document: dict) -> list[str]:
    """Errors of `document` against the OB 3.0 schema ([] when valid), checked with jsonschema."""
    import jsonschema

    validator = jsonschema.Draft201909Validator(schema(), format_checker=_format_checker())
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in validator.iter_errors(document)]
