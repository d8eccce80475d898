"""The bank report and the network report draw their hours-by-month table from one template: a row
per month of the period with the hours in each column and the total; the bank's table also counts the
exchanges and ends with a totals row."""

from datetime import date

from django.utils import dateformat

from coproduce.timebank import services


def _table(html, caption):
    start = html.index(f"<caption>{caption}</caption>")
    return html[start:html.index("</table>", start)]


def _row(table, label):
    start = table.index(f'<th scope="row">{label}</th>')
    return table[start:table.index("</tr>", start)]


def test_both_reports_show_a_row_per_month(personas, client_as, ledger, world):
    bea = personas["broker"]
    services.transfer(bea, ledger.dan, ledger.carla, 60, "Lift")  # Carla gives, within Millbrook
    services.transfer(bea, ledger.cafe, ledger.fay, 45, "Window cleaning",
                      payee_timebank=ledger.other_bank)  # Fay (Fernside) gives to the café
    ledger.network.coordinator = world.other_group
    ledger.network.save()
    month = dateformat.format(date.today(), "F Y")

    bank = _table(client_as(bea).get("/timebanks/millbrook/report/").content.decode(), "Hours exchanged by month")
    assert bank.count('<tr><th scope="row">') == 12 + 1  # twelve months and the totals
    assert _row(bank, month) == (f'<th scope="row">{month}</th><td>1 h 00 min</td><td>0 h 00 min</td>'
                                 "<td>0 h 45 min</td><td>1 h 45 min</td><td>2</td>")
    assert _row(bank, "Total") == ('<th scope="row">Total</th><td>1 h 00 min</td><td>0 h 00 min</td>'
                                   "<td>0 h 45 min</td><td>1 h 45 min</td><td>2</td>")

    network = _table(client_as(personas["other_org"]).get("/timebanks/networks/riverside/report/")
                     .content.decode(), "Hours given by month, per bank")
    assert network.count('<tr><th scope="row">') == 12  # no totals row, no exchange counts
    assert '<th scope="col">Fernside Timebank</th><th scope="col">Millbrook Timebank</th>' in network
    assert _row(network, month) == (f'<th scope="row">{month}</th><td>0 h 45 min</td><td>1 h 00 min</td>'
                                    "<td>1 h 45 min</td>")
    assert "Exchanges" not in network and "<tfoot>" not in network
