"""`coproduce open311 apikey NAME` prints a key once; only its hash is stored; it then works for POST."""

import io
import json

from django.core.management import call_command

from coproduce.assessment.models import Open311Client
from coproduce.core.models import AuditEntry


def test_apikey_command(client, parks):
    out = io.StringIO()
    call_command("open311", "apikey", "Street app", stdout=out)
    raw = out.getvalue().strip()
    row = Open311Client.objects.get()
    assert raw.startswith("o311_") and row.name == "Street app"
    assert raw not in (row.key_hash, row.hint) and row.key_hash == Open311Client.hash(raw)
    assert AuditEntry.objects.get(action="open311client.create").channel == "cli"
    response = client.post("/open311/v2/requests.json", {
        "api_key": raw, "service_code": "POTHOLE", "address_string": "Mill Lane", "attribute[WHISHETN]": "124"})
    assert response.status_code == 200 and "service_request_id" in json.loads(response.content)[0]
    call_command("open311", "revoke", row.hint, stdout=io.StringIO())
    assert client.post("/open311/v2/requests.json", {"api_key": raw, "service_code": "POTHOLE",
                                                     "address_string": "x"}).status_code == 403
