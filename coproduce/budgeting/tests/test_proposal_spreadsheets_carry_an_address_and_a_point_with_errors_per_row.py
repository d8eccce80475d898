"""The proposals spreadsheet takes `address`, `latitude` and `longitude` columns. A bad point is
reported on its own line, naming the column and what is wrong, and nothing is imported unless every
row is good."""

from coproduce.budgeting import services
from coproduce.budgeting.models import Proposal


def test_rows_with_a_place_are_imported(pb, personas):
    text = ("title,address,latitude,longitude\n"
            "Tree planting,\"Elm Street, outside number 4\",51.5072,-0.1276\n"
            "Mural,Underpass by the station,,\n")
    report = services.import_proposals_csv(personas["org_admin"], pb.process, text, dry_run=False)
    assert report.ok and report.imported == 2
    trees = Proposal.objects.get(title="Tree planting")
    assert (trees.address, trees.latitude, trees.longitude) == ("Elm Street, outside number 4", 51.5072, -0.1276)
    mural = Proposal.objects.get(title="Mural")
    assert mural.address == "Underpass by the station" and mural.latitude is None and mural.longitude is None


def test_bad_points_are_reported_per_row_and_nothing_is_imported(pb, personas):
    before = Proposal.objects.count()
    text = ("title,latitude,longitude\n"
            "Good one,51.5,-0.12\n"
            "Half a point,51.5,\n"
            "Off the globe,95,10\n"
            "Not a number,fifty,10\n")
    report = services.import_proposals_csv(personas["org_admin"], pb.process, text, dry_run=False)
    assert report.imported == 0 and Proposal.objects.count() == before
    errors = dict(report.errors)
    assert set(errors) == {3, 4, 5}
    assert errors[3] == "longitude: Give the longitude too, or neither."
    assert errors[4] == "latitude: Give a value between -90 and 90 degrees."
    assert errors[5] == "latitude: Give a number of degrees, such as 52.2305."


def test_the_import_page_lists_the_new_columns(pb, personas, client_as):
    page = client_as(personas["org_admin"]).get(f"/budgeting/{pb.process.slug}/proposals/import/").content.decode()
    for column in ("address", "latitude", "longitude"):
        assert column in page
