"""HTML pages to PDF with WeasyPrint, tagged for accessibility (PDF/UA-1).

Only this site's own static files (stylesheets, images) are fetched while rendering; every other URL
is refused, so a page can never make the server fetch something from the network or the disk.
"""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string


def _static_file(url: str) -> Path | None:
    path = unquote(urlsplit(url).path)
    if not path.startswith(settings.STATIC_URL):
        return None
    name = path.removeprefix(settings.STATIC_URL)
    if ".." in Path(name).parts:
        return None
    found = finders.find(name) or (settings.STATIC_ROOT and Path(settings.STATIC_ROOT, name))
    found = Path(found).resolve() if found else None
    return found if found and found.is_file() else None


def html_to_pdf(html: str, base_url: str) -> bytes:
    """The page as a tagged PDF (PDF/UA-1): headings, tables and the language survive for screen readers."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            found = _static_file(url)
            if found is None:
                raise ValueError(f"not fetched while making a PDF: {url}")
            media = "text/css" if found.suffix == ".css" else "application/octet-stream"
            return URLFetcherResponse(url, found.read_bytes(), {"Content-Type": media})

    return HTML(string=html, base_url=base_url, url_fetcher=StaticOnly()).write_pdf(pdf_variant="pdf/ua-1")


def pdf_response(request, template: str, context: dict, filename: str) -> HttpResponse:
    """Render `template` and send it as a PDF download named `filename`."""
    html = render_to_string(template, {**context, "as_pdf": True}, request=request)
    response = HttpResponse(html_to_pdf(html, request.build_absolute_uri("/")), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
