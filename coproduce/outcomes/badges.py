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


def validate(document: dict) -> list[str]:
    """Errors of `document` against the OB 3.0 schema ([] when valid)."""
    try:
        import jsonschema
    except ImportError:
        return StructuralValidator(schema()).errors(document)
    validator = jsonschema.Draft201909Validator(schema(), format_checker=jsonschema.FormatChecker())
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in validator.iter_errors(document)]


DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")


class StructuralValidator:
    """Enough of JSON Schema for the OB schema here: type, required, properties, items, minItems,
    contains, const, enum, pattern, format (date-time, uri, email), anyOf, allOf, $ref (local)."""

    TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "integer": int, "number": (int, float)}

    def __init__(self, root: dict):
        self.root = root

    def errors(self, document) -> list[str]:
        found: list[str] = []
        self._check(document, self.root, "(root)", found)
        return found

    def _resolve(self, ref: str) -> dict:
        if not ref.startswith("#/"):
            raise ValueError(f"only local references are supported, not {ref!r}")
        node = self.root
        for part in ref[2:].split("/"):
            node = node[part]
        return node

    def _check(self, value, rule: dict, path: str, found: list[str]) -> None:
        if "$ref" in rule:
            self._check(value, self._resolve(rule["$ref"]), path, found)
        kind = rule.get("type")
        if kind is not None:
            kinds = kind if isinstance(kind, list) else [kind]
            if not any(isinstance(value, self.TYPES[k]) and not (k in ("integer", "number") and isinstance(value, bool))
                       for k in kinds):
                found.append(f"{path}: expected {kind}, got {type(value).__name__}")
                return
        if "const" in rule and value != rule["const"]:
            found.append(f"{path}: must be {rule['const']!r}")
        if "enum" in rule and value not in rule["enum"]:
            found.append(f"{path}: must be one of {rule['enum']}")
        if isinstance(value, str):
            if "pattern" in rule and not re.search(rule["pattern"], value):
                found.append(f"{path}: does not match {rule['pattern']}")
            fmt = rule.get("format")
            if fmt == "date-time" and not DATE_TIME.match(value):
                found.append(f"{path}: not a date-time")
            if fmt in ("uri", "iri") and not URI.match(value):
                found.append(f"{path}: not a URI")
            if fmt == "email" and "@" not in value:
                found.append(f"{path}: not an email address")
        if isinstance(value, dict):
            for name in rule.get("required", []):
                if name not in value:
                    found.append(f"{path}: missing {name!r}")
            for name, sub in rule.get("properties", {}).items():
                if name in value:
                    self._check(value[name], sub, f"{path}/{name}", found)
            if rule.get("additionalProperties") is False:
                for name in set(value) - set(rule.get("properties", {})):
                    found.append(f"{path}: unexpected {name!r}")
        if isinstance(value, list):
            if len(value) < rule.get("minItems", 0):
                found.append(f"{path}: needs at least {rule['minItems']} items")
            if "items" in rule:
                items = rule["items"]
                if isinstance(items, list):  # positional (draft 2019-09 tuple form)
                    for index, (item, sub) in enumerate(zip(value, items)):
                        self._check(item, sub, f"{path}/{index}", found)
                else:
                    for index, item in enumerate(value):
                        self._check(item, items, f"{path}/{index}", found)
            if "contains" in rule and not any(not self._errors(item, rule["contains"]) for item in value):
                found.append(f"{path}: contains no item matching {rule['contains']}")
        for sub in rule.get("allOf", []):
            self._check(value, sub, path, found)
        if "anyOf" in rule and all(self._errors(value, sub) for sub in rule["anyOf"]):
            found.append(f"{path}: matches none of the alternatives")

    def _errors(self, value, rule) -> list[str]:
        found: list[str] = []
        self._check(value, rule, "", found)
        return found
