"""The image form works without JavaScript (a plain multipart form; errors next to their fields, status
400); the proposal's page shows each image with its alt text and caption; an image is served to
exactly those who may see the proposal's page (public once the proposal is, hidden with an
unpublished process), through a view that sends no-sniff headers, never a direct file URL."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coproduce.budgeting.models import ProposalImage
from coproduce.testing import cleaned, tiny_png

PNG = tiny_png()
PERSONAS = ["anonymous", "citizen", "other_org", "staff", "broker", "org_admin", "platform_admin"]


@pytest.fixture
def skate(pb, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return pb.proposals["Skate park"]


def add_url(proposal):
    return f"/budgeting/{proposal.process.slug}/proposals/{proposal.pk}/images/new/"


def test_the_form_works_without_javascript_and_the_page_shows_the_alt_text(skate, personas, client_as):
    client = client_as(personas["citizen"])
    form = client.get(add_url(skate)).content.decode()
    assert 'enctype="multipart/form-data"' in form and 'name="alt_text"' in form and 'name="channel"' not in form
    missing = client.post(add_url(skate), {"image": SimpleUploadedFile("a.png", PNG), "alt_text": ""})
    assert missing.status_code == 400 and "This field is required." in missing.content.decode()
    wrong = client.post(add_url(skate), {"image": SimpleUploadedFile("a.png", b"GIF89a..."), "alt_text": "A gif"})
    assert wrong.status_code == 400 and "not a JPEG, PNG or WebP" in wrong.content.decode()
    assert not ProposalImage.objects.exists()
    done = client.post(add_url(skate), {"image": SimpleUploadedFile("a.png", PNG),
                                        "alt_text": "Cracked tarmac by the river", "caption": "Today"})
    assert done.status_code == 302 and done["Location"] == skate.get_absolute_url()
    image = ProposalImage.objects.get()
    page = client_as(None).get(skate.get_absolute_url()).content.decode()
    assert f'src="/budgeting/{skate.process.slug}/images/{image.pk}/"' in page
    assert 'alt="Cracked tarmac by the river"' in page and "<figcaption>Today</figcaption>" in page
    served = client_as(None).get(f"/budgeting/{skate.process.slug}/images/{image.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff" and b"".join(served.streaming_content) == cleaned(PNG)


def test_staff_choose_whose_image_it_is(skate, personas, client_as):
    client = client_as(personas["org_admin"])
    assert 'name="channel"' in client.get(add_url(skate)).content.decode()
    client.post(add_url(skate), {"image": SimpleUploadedFile("a.png", PNG), "alt_text": "Sketch", "channel": "phone"})
    image = ProposalImage.objects.get()
    assert image.on_behalf and image.channel == "phone" and image.person == personas["citizen"].person


def test_an_image_is_served_to_exactly_those_who_see_the_proposal(skate, pb, personas, client_as):
    from coproduce.budgeting import proposal_media_services as media

    image = media.add_proposal_image(personas["citizen"], skate, SimpleUploadedFile("a.png", PNG), alt_text="View")
    url = f"/budgeting/{pb.process.slug}/images/{image.pk}/"
    for published in (True, False):
        pb.process.is_published = published
        pb.process.save(update_fields=["is_published"])
        for persona in PERSONAS:
            client = client_as(personas[persona])
            page, served = client.get(skate.get_absolute_url()), client.get(url)
            assert served.status_code == page.status_code, (persona, published, served.status_code)
            assert served.status_code == (200 if published or persona in ("org_admin", "platform_admin")
                                          else 403), (persona, published)
    pb.process.is_published = True
    pb.process.save(update_fields=["is_published"])
    assert client_as(None).get(f"/budgeting/{pb.process.slug}/images/{image.pk + 100}/").status_code == 404
