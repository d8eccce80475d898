"""The offline map is inline SVG: no tile server, each point a link with an accessible name, shapes
as well as colours, the neighbourhoods drawn, and the same assets listed below as the alternative."""

import re


def test_map_page(client_as, amap):
    html = client_as(None).get("/asset-map/map/").content.decode()
    svg = html[html.index("<svg class=\"asset-map\""):html.index("</svg>", html.index("<svg class=\"asset-map\""))]
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # nothing fetched from elsewhere
    links = re.findall(r'<a href="(/asset-map/places/\d+/)" aria-label="([^"]+)"', svg)
    assert sorted(links) == sorted([
        (f"/asset-map/places/{amap.hall.pk}/", "Millbrook Community Hall (Place, Millbrook)"),
        (f"/asset-map/places/{amap.allotments.pk}/", "Fernside Allotments (Facility, Fernside)"),
    ])
    assert 'aria-label="Millbrook: 1 person offers help"' in svg
    assert ">Fernside<" in svg and ">Millbrook<" in svg
    table = html[html.index("The map as a list"):]
    assert "Millbrook Community Hall" in table and "Fernside Allotments" in table
    assert "<caption>" in table and 'scope="col"' in table


def test_coordinates_stay_dots_in_german(client_as, amap):
    client = client_as(None)
    client.cookies["django_language"] = "de"
    html = client.get("/asset-map/map/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    circles = re.findall(r'<circle class="region[^"]*" cx="([^"]+)" cy="([^"]+)"', html)
    assert circles and all("," not in x + y for x, y in circles)
