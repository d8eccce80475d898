"""A proposal may say where it is as an address (free text) and/or a point (latitude and longitude:
both or neither, within range, finite), besides its district. Bad points are refused naming the
field and change nothing. The page shows the address and links to the point on OpenStreetMap (no
JavaScript map); the web form takes them too."""

import math

import pytest
from django.core.exceptions import ValidationError

from coproduce.budgeting import services
from coproduce.budgeting.models import Proposal


def test_a_point_and_an_address_are_stored_and_shown(pb, personas, client_as):
    proposal = services.submit_proposal(
        personas["citizen"], pb.process, title="Drinking fountain", address="Market Square, by the clock",
        latitude=52.230525518815675, longitude=21.009522160953203)
    proposal.refresh_from_db()
    assert proposal.latitude == 52.230525518815675 and proposal.longitude == 21.009522160953203
    page = client_as(None).get(proposal.get_absolute_url()).content.decode()
    assert "Market Square, by the clock" in page
    assert 'href="https://www.openstreetmap.org/?mlat=52.230526&amp;mlon=21.009522#map=17/52.230526/21.009522"' in page


@pytest.mark.parametrize("latitude,longitude,field,message", [
    (52.2, None, "longitude", "Give the longitude too, or neither."),
    (None, 21.0, "latitude", "Give the latitude too, or neither."),
    (91, 21.0, "latitude", "between -90 and 90"),
    (52.2, -180.5, "longitude", "between -180 and 180"),
    (math.nan, 21.0, "latitude", "Give a number of degrees"),
    (52.2, math.inf, "longitude", "Give a number of degrees"),
    ("north", "21", "latitude", "Give a number of degrees"),
    (True, 21.0, "latitude", "Give a number of degrees"),
])
def test_bad_points_are_refused_naming_the_field(pb, personas, latitude, longitude, field, message):
    before = Proposal.objects.count()
    with pytest.raises(ValidationError) as info:
        services.submit_proposal(personas["citizen"], pb.process, title="Somewhere", latitude=latitude,
                                 longitude=longitude)
    assert message in info.value.message_dict[field][0]
    assert Proposal.objects.count() == before


def test_an_address_without_a_point_and_a_long_address(pb, personas):
    p = services.submit_proposal(personas["citizen"], pb.process, title="Hall roof", address=" The old hall ")
    assert p.address == "The old hall" and p.latitude is None and not p.has_point and p.map_url == ""
    with pytest.raises(ValidationError) as info:
        services.submit_proposal(personas["citizen"], pb.process, title="Long", address="x" * 301)
    assert "address" in info.value.message_dict


def test_the_web_form_takes_the_place_without_javascript(pb, personas, client_as):
    client = client_as(personas["citizen"])
    url = f"/budgeting/{pb.process.slug}/propose/"
    form = client.get(url).content.decode()
    assert 'name="address"' in form and 'name="latitude"' in form and 'name="longitude"' in form
    half = client.post(url, {"title": "Bike racks", "latitude": "52.1"})
    assert half.status_code == 200 and "Give the longitude too, or neither." in half.content.decode()
    assert not Proposal.objects.filter(title="Bike racks").exists()
    done = client.post(url, {"title": "Bike racks", "address": "Station Road", "latitude": "52.1",
                             "longitude": "-1.25"})
    assert done.status_code == 302
    racks = Proposal.objects.get(title="Bike racks")
    assert (racks.address, racks.latitude, racks.longitude) == ("Station Road", 52.1, -1.25)
