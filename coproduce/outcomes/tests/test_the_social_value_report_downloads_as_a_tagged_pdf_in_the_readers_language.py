"""Commissioners attach the social value report to board papers: the report page links to a PDF with
the same figures and assumptions, tagged for screen readers (PDF/UA-1), named after the organisation
and period, in the reader's language, and only for those who may see the report."""

import re
from datetime import date

import pytest

from coproduce.core.tests.pdf_text import pdf_text, unpacked
from coproduce.outcomes import services


@pytest.fixture
def report(personas, world):
    sam = personas["staff"]
    report = services.create_social_value_report(
        sam, world.service, title="Memory café 2025", period_start=date(2025, 1, 1), period_end=date(2025, 12, 31),
        low_rate_minor=1221, high_rate_minor=1750, rate_basis="Minimum wage to care worker pay.")
    services.add_hours(sam, report, label="Café volunteers", minutes=9_000)  # 150 h
    services.add_cost(sam, report, label="Room hire", amount_minor=50_000)
    return report


def test_the_pdf_has_the_reports_figures_and_assumptions(personas, client_as, report):
    client = client_as(personas["staff"])
    page = client.get(f"/outcomes/social-value/{report.pk}/").content.decode()
    assert f'href="/outcomes/social-value/{report.pk}/report.pdf"' in page
    response = client.get(f"/outcomes/social-value/{report.pk}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == \
        'attachment; filename="social-value-social-care-2025-01-01-2025-12-31.pdf"'
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    inside = unpacked(pdf)
    assert b"/StructTreeRoot" in inside and b'pdfuaid:part="1"' in inside  # tagged, PDF/UA-1
    assert b"/S /Table" in inside and b"/S /TH" in inside and b"/S /H1" in inside  # tables and headings survive
    assert re.search(rb"/Lang\s*\(en", inside)
    text = pdf_text(pdf)
    # 150 h × £12.21 = £1,831.50 and × £17.50 = £2,625.00; less £500.00 of costs; 3.66 and 5.25 per £1.
    for figure in ["Memory café 2025", "150.0 hours contributed", "£1,831.50", "£2,625.00", "£500.00",
                   "£1,331.50", "£2,125.00", "3.66", "5.25", "£12.21", "£17.50", "Café volunteers", "Room hire",
                   "Minimum wage to care worker pay.", "Social Care"]:
        assert figure in text, figure
    assert "Back to the report" not in text  # a link that makes no sense on paper


def test_the_pdf_is_in_german_for_a_german_reader(personas, client_as, report):
    client = client_as(personas["staff"])
    client.cookies["django_language"] = "de"
    response = client.get(f"/outcomes/social-value/{report.pk}/report.pdf", HTTP_ACCEPT_LANGUAGE="de")
    assert response["Content-Disposition"] == \
        'attachment; filename="gesellschaftlicher-mehrwert-social-care-2025-01-01-2025-12-31.pdf"'
    assert re.search(rb"/Lang\s*\(de", unpacked(response.content))
    text = pdf_text(response.content)
    assert "£1.831,50" in text and "£2.625,00" in text and "3,66" in text
    assert "Kosten" in text and "Costs" not in text


@pytest.mark.parametrize("persona,status", [("anonymous", 302), ("citizen", 403), ("other_org", 403),
                                            ("broker", 403), ("org_admin", 200)])
def test_only_those_who_manage_the_report_get_the_pdf(persona, status, personas, client_as, report):
    response = client_as(personas[persona]).get(f"/outcomes/social-value/{report.pk}/report.pdf")
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert (response.get("Content-Type") == "application/pdf") is (status == 200)


def test_a_pdf_fetches_only_this_sites_static_files():
    from coproduce.core.pdf import html_to_pdf

    # An image from elsewhere is not fetched (no request leaves the server): the PDF is still made.
    pdf = html_to_pdf('<html lang="en"><title>x</title><img alt="x" src="http://192.0.2.1/x.png">'
                      '<img alt="y" src="file:///etc/passwd"><p>Still here</p></html>', "http://testserver/")
    assert "Still here" in pdf_text(pdf)


@pytest.mark.parametrize("url", ["http://testserver/static/../../../../etc/passwd",
                                 "http://testserver/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                                 "http://testserver/media/anything.png"])
def test_a_pdf_never_reads_a_file_outside_the_static_files(url, settings, tmp_path):
    from coproduce.core.pdf import _static_file

    settings.STATIC_ROOT = str(tmp_path)
    assert _static_file(url) is None
    (tmp_path / "site.css").write_text("p {}")
    assert _static_file("http://testserver/static/site.css") == (tmp_path / "site.css").resolve()
