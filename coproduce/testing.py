"""Scaffolding shared by the persona permission-matrix page tests (`tests/test_persona_permission_matrix_*`):
the personas in the matrix's column order, a matrix row, and the check of one persona's answer.

A row's expected answer is a status code, or LOGIN: a redirect to the login page (some matrices write 302)."""

PERSONAS = ["anonymous", "citizen", "other_org", "staff", "broker", "org_admin", "platform_admin"]
LOGIN = "login"


def row(url, *codes):
    """A matrix row: the URL and each persona's expected answer, in the order of PERSONAS."""
    return url, dict(zip(PERSONAS, codes, strict=True))


def assert_answer(response, want, persona: str, url: str) -> None:
    """`want` is the status code expected; LOGIN (or 302) asks for a redirect to the login page."""
    if want in (LOGIN, 302):
        assert response.status_code == 302, (persona, url, response.status_code)
        assert response["Location"].startswith("/accounts/login/"), response["Location"]
    else:
        assert response.status_code == want, (persona, url, response.status_code)
