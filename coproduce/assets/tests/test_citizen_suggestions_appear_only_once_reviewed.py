"""A place, group or facility a citizen suggests waits for review; it appears on the list, the map
and the API only once a moderator, the owning organisation's staff or a platform administrator
publishes it; a refusal keeps a note for the person who suggested it."""

from coproduce.assets.models import CommunityAsset


def test_suggest_review_publish(personas, client_as, api_as, amap, world):
    carla = client_as(personas["citizen"])
    response = carla.post("/asset-map/suggest/", {"name": "Fernside Orchard", "kind": "place",
                                                  "neighbourhood": world.other_hood.pk, "owner": world.other_group.pk})
    assert response.status_code == 302
    orchard = CommunityAsset.objects.get(name="Fernside Orchard")
    assert orchard.status == "suggested" and orchard.suggested_by == personas["citizen"].person
    assert "Fernside Orchard" not in client_as(None).get("/asset-map/").content.decode()
    assert "Fernside Orchard" not in client_as(None).get("/asset-map/map/").content.decode()
    assert all(a["name"] != "Fernside Orchard" for a in api_as(None).get("/api/v1/assets").json()["items"])

    # Otto's organisation would run it, so he reviews it; Sam (another organisation) does not see it.
    assert "Fernside Orchard" not in client_as(personas["staff"]).get("/asset-map/suggestions/").content.decode()
    otto = client_as(personas["other_org"])
    assert "Fernside Orchard" in otto.get("/asset-map/suggestions/").content.decode()
    response = otto.post(f"/asset-map/places/{orchard.pk}/review/", {"decision": "accept"})
    assert response.status_code == 302
    orchard.refresh_from_db()
    assert orchard.status == "published" and orchard.moderated_at is not None
    assert "Fernside Orchard" in client_as(None).get("/asset-map/").content.decode()


def test_a_refusal_needs_a_note_and_the_suggester_sees_it(personas, client_as, amap):
    pat = client_as(personas["platform_admin"])
    response = pat.post(f"/asset-map/places/{amap.suggestion.pk}/review/", {"decision": "reject"})
    assert response.status_code == 200 and 'id="id_note_error"' in response.content.decode()
    pat.post(f"/asset-map/places/{amap.suggestion.pk}/review/", {"decision": "reject", "note": "Already listed"})
    amap.suggestion.refresh_from_db()
    assert amap.suggestion.status == "rejected"
    html = client_as(personas["citizen"]).get(f"/asset-map/places/{amap.suggestion.pk}/").content.decode()
    assert "Already listed" in html and "Not accepted" in html
