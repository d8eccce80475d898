"""The opinion map is a server-drawn SVG with a title and description and labelled groups (told apart
by shape, not colour alone), plus tables that say the same in words."""

import re

from coproduce.design import services


def vote_in_two_camps(conversation, personas):
    camps = {"citizen": 1, "broker": 1, "staff": 1, "other_org": -1, "org_admin": -1, "platform_admin": -1}
    for name, side in camps.items():
        for number in range(3):
            services.cast_vote(personas[name], conversation, number, side if number < 2 else -side)


def test_map_has_svg_with_title_desc_groups_and_tables(conversation, personas, client_as):
    vote_in_two_camps(conversation, personas)
    response = client_as(personas["citizen"]).get(
        f"/labs/{conversation.lab.slug}/conversations/{conversation.pk}/map/")
    html = response.content.decode()
    assert response.status_code == 200
    svg = re.search(r"<svg[^>]*>.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="map-title map-desc"' in svg
    assert '<title id="map-title">' in svg and '<desc id="map-desc">' in svg
    assert svg.count("<path") == 6  # one mark per participant
    assert "Group A (" in svg and "Group B (" in svg and ">You<" in svg
    assert "drawn as circles" in svg and "drawn as squares" in svg
    assert "<caption>Opinion groups" in html and '<th scope="row">Group A</th>' in html
    assert "<caption>Consensus statements" in html
    assert "You are in Group" in html


def test_map_without_analysis_says_so(lab, personas, client_as):
    conversation = services.create_conversation(personas["staff"], lab, title="Empty")
    response = client_as(None).get(f"/labs/{lab.slug}/conversations/{conversation.pk}/map/")
    assert response.status_code == 200 and b"<svg" not in response.content
