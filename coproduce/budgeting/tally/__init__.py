"""Participatory-budgeting outcome engine: pure Python + numpy/gmpy2, no Django.

Typical use::

    from coproduce.budgeting.tally import parse_file, tally
    election = parse_file("Poland_Lodz_2022.pb")
    outcome = tally(election, rule="official")          # the rule named in the file
    outcome = tally(election, rule="mes", completion="add1", exact=True)
    outcome.selected, outcome.spent, outcome.explanations, outcome.log

Modules: :mod:`.model` (data classes), :mod:`.pabulib` (.pb reader/writer), :mod:`.profile`
(grouped ballots, weights), :mod:`.greedy`, :mod:`.mes`, :mod:`.phragmen`, :mod:`.ties`,
:mod:`.explain` (outcome, explanations, log), :mod:`.rules` (:func:`tally`), :mod:`.cli`.
"""

from .explain import Explanation, Outcome
from .model import Election, Project
from .pabulib import PabulibFormatError, parse_file, parse_string, write_file, write_string
from .rules import COMPLETIONS, OFFICIAL_RULES, RULES, UTILITIES, RuleError, tally
from .ties import TIE_BREAKS

__all__ = [
    "COMPLETIONS",
    "Election",
    "Explanation",
    "OFFICIAL_RULES",
    "Outcome",
    "PabulibFormatError",
    "Project",
    "RULES",
    "RuleError",
    "TIE_BREAKS",
    "UTILITIES",
    "parse_file",
    "parse_string",
    "tally",
    "write_file",
    "write_string",
]
