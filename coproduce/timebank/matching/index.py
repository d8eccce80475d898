"""Column-store indexes the app builds once, keeps in memory and updates.

:class:`MemberIndex` holds every member and offer (forward direction: find
helpers for a request).  :class:`NeedIndex` holds open requests / asset-map
needs (reverse direction: find needs an offer could meet).

Both keep numpy columns, ragged lists in CSR form (``ptr`` + flat data), and
postings: category id -> rows, tag id -> rows.  Updates append rows and
leave a tombstone on the old row; once a quarter of the rows are dead the
index is rebuilt from the records it keeps.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace

import numpy as np

from . import scoring
from .constraints import NO_EXPIRY
from .model import Candidate, Request
from .policy import DEFAULT_POLICY, Policy
from .weekly import abs_minutes, day_number, minute_of_week, normalise, request_slots, request_span

_I = np.int64


def norm_tag(tag: str) -> str:
    return " ".join(tag.split()).lower()


def symmetric_adjacency(adjacency: Mapping[int, Iterable[int]] | None) -> dict[int, np.ndarray]:
    sym: dict[int, set[int]] = defaultdict(set)
    for a, bs in (adjacency or {}).items():
        for b in bs:
            if a != b:
                sym[a].add(b)
                sym[b].add(a)
    return {a: np.array(sorted(bs), dtype=_I) for a, bs in sym.items()}


class _Csr:
    """Ragged rows: row ``i`` owns ``data[k][ptr[i]:ptr[i+1]]``."""

    def __init__(self, ptr: np.ndarray, data: dict[str, np.ndarray]):
        self.ptr = ptr
        self.data = data

    @classmethod
    def from_rows(cls, rows: list[list[tuple]], fields: dict[str, type]) -> _Csr:
        counts = np.fromiter((len(r) for r in rows), dtype=_I, count=len(rows))
        ptr = np.zeros(len(rows) + 1, dtype=_I)
        np.cumsum(counts, out=ptr[1:])
        flat = [item for r in rows for item in r]
        data = {}
        for k, (name, dtype) in enumerate(fields.items()):
            data[name] = np.fromiter((item[k] for item in flat), dtype=dtype, count=len(flat))
        return cls(ptr, data)

    def counts(self, rows: np.ndarray) -> np.ndarray:
        return self.ptr[rows + 1] - self.ptr[rows]

    def gather(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(position in ``rows`` of each item, flat index of each item)."""
        starts = self.ptr[rows]
        counts = self.ptr[rows + 1] - starts
        pos = np.flatnonzero(counts)  # most rows own nothing (opt-outs, checks): skip them
        starts, counts = starts[pos], counts[pos]
        total = int(counts.sum())
        owner = np.repeat(pos, counts)
        if total == 0:
            return owner, owner
        first = np.cumsum(counts) - counts
        idx = np.arange(total, dtype=_I) - np.repeat(first - starts, counts)
        return owner, idx

    def extend(self, other: _Csr) -> None:
        self.ptr = np.concatenate([self.ptr, other.ptr[1:] + self.ptr[-1]])
        for name in self.data:
            self.data[name] = np.concatenate([self.data[name], other.data[name]])


def key(bank, k):
    """Posting key of (bank id, category or tag id); works on arrays too."""
    return (np.asarray(bank, dtype=_I) << 32) + np.asarray(k, dtype=_I)


def _postings(keys: np.ndarray) -> dict[int, np.ndarray]:
    if len(keys) == 0:
        return {}
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    uniq, first = np.unique(sorted_keys, return_index=True)
    bounds = np.append(first, len(keys))
    return {int(k): order[bounds[i] : bounds[i + 1]] for i, k in enumerate(uniq)}


def _merge_postings(base: dict[int, np.ndarray], extra: dict[int, np.ndarray], offset: int) -> None:
    for k, rows in extra.items():
        rows = rows + offset
        base[k] = np.concatenate([base[k], rows]) if k in base else rows


class _Base:
    """Shared bookkeeping: taxonomy, adjacency, tag vocabulary, tombstones."""

    key_name = ""

    def __init__(self, adjacency, category_groups, policy: Policy):
        self.policy = policy
        self.adjacency = symmetric_adjacency(adjacency)
        self.category_groups: dict[int, int] = dict(category_groups or {})
        self.group_members: dict[int, np.ndarray] = {}
        by_group: dict[int, list[int]] = defaultdict(list)
        for cat, group in self.category_groups.items():
            by_group[group].append(cat)
        self.group_members = {g: np.array(sorted(cs), dtype=_I) for g, cs in by_group.items()}
        self.tag_ids: dict[str, int] = {}
        self.records: dict[int, object] = {}
        self.row_of: dict[int, int] = {}
        self.cols: dict[str, np.ndarray] = {}
        self.alive = np.zeros(0, dtype=bool)
        self.banks: dict[int, set[int]] = {}  # network -> banks
        self.bank_shares: dict[int, bool] = {}  # bank -> allows cross-bank exchange

    def _register_banks(self, triples) -> None:
        for network, bank, allows in triples:
            self.banks.setdefault(network, set()).add(bank)
            self.bank_shares[bank] = self.bank_shares.get(bank, False) or bool(allows)

    def reach(self, bank: int, network: int, allows: bool) -> list[int]:
        """Banks whose members/needs can be matched from ``bank``: itself, and
        when it allows cross-bank exchange the sharing banks of its network.
        (Per-record permission is still checked; this only narrows the search.)"""
        banks = [bank]
        if allows:
            banks += [b for b in self.banks.get(network, ()) if b != bank and self.bank_shares.get(b)]
        return sorted(banks)

    def group_of(self, category_id: int) -> int:
        return self.category_groups.get(category_id, -1)

    def neighbours(self, neighbourhood_id: int) -> np.ndarray:
        return self.adjacency.get(neighbourhood_id, np.zeros(0, dtype=_I))

    def tag_id(self, tag: str, create: bool) -> int | None:
        t = norm_tag(tag)
        if not t:
            return None
        if t not in self.tag_ids:
            if not create:
                return None
            self.tag_ids[t] = len(self.tag_ids)
        return self.tag_ids[t]

    def tag_id_list(self, tags, create: bool) -> list[int]:
        ids = {self.tag_id(t, create) for t in tags}
        ids.discard(None)
        return sorted(ids)

    def __len__(self) -> int:
        return len(self.records)

    def __contains__(self, key: int) -> bool:
        return key in self.records

    # -------------------------------------------------------------- updates

    def upsert(self, items: Iterable) -> None:
        """Add new records or replace existing ones (matched by id)."""
        items = list(items)
        if not items:
            return
        for item in items:
            k = getattr(item, self.key_name)
            old = self.row_of.pop(k, None)
            if old is not None:
                self.alive[old] = False
            self.records[k] = item
        latest = {getattr(i, self.key_name): i for i in items}
        fresh = self._empty_like()
        fresh._load(list(latest.values()))
        self._append(fresh)
        self._maybe_compact()

    def remove(self, keys: Iterable[int]) -> None:
        for k in keys:
            row = self.row_of.pop(k, None)
            if row is not None:
                self.alive[row] = False
                del self.records[k]
        self._maybe_compact()

    def compact(self) -> None:
        records = [self.records[k] for k in sorted(self.records)]
        fresh = self._empty_like()
        fresh.tag_ids = {}
        fresh._load(records)
        self.__dict__.update(fresh.__dict__)

    def _maybe_compact(self) -> None:
        dead = len(self.alive) - len(self.row_of)
        if dead > 1000 and dead * 4 > len(self.alive):
            self.compact()

    def _empty_like(self):
        fresh = type(self).__new__(type(self))
        fresh.__dict__.update(
            policy=self.policy,
            adjacency=self.adjacency,
            category_groups=self.category_groups,
            group_members=self.group_members,
            tag_ids=self.tag_ids,
            records={},
            row_of={},
            cols={},
            alive=np.zeros(0, dtype=bool),
            banks={},
            bank_shares={},
        )
        return fresh

    def _append(self, other) -> None:
        n = len(self.alive)
        for name, col in other.cols.items():
            self.cols[name] = np.concatenate([self.cols[name], col]) if name in self.cols else col
        self.alive = np.concatenate([self.alive, other.alive])
        for k, row in other.row_of.items():
            self.row_of[k] = row + n
        for network, banks in other.banks.items():
            self._register_banks((network, b, other.bank_shares[b]) for b in banks)
        self._append_extra(other, n)


class MemberIndex(_Base):
    """Members and their offers, for finding helpers.

    >>> index = MemberIndex.build(candidates, adjacency={1: [2]}, category_groups={10: 1, 11: 1})
    >>> index.upsert([changed_candidate]); index.remove([member_id])
    """

    key_name = "member_id"

    @classmethod
    def build(
        cls,
        candidates: Iterable[Candidate],
        adjacency: Mapping[int, Iterable[int]] | None = None,
        category_groups: Mapping[int, int] | None = None,
        policy: Policy = DEFAULT_POLICY,
    ) -> MemberIndex:
        index = cls(adjacency, category_groups, policy)
        latest = {c.member_id: c for c in candidates}
        index._load([latest[k] for k in sorted(latest)])
        return index

    def _load(self, cands: list[Candidate]) -> None:
        n = len(cands)
        self.records.update({c.member_id: c for c in cands})
        self.row_of = {c.member_id: i for i, c in enumerate(cands)}
        self.alive = np.ones(n, dtype=bool)

        def col(fn, dtype):
            return np.fromiter((fn(c) for c in cands), dtype=dtype, count=n)

        def qualities(r):
            vals = [v for v in (r.honesty, r.reliability, r.team_working, r.getting_on) if v is not None]
            return sum(vals) / len(vals) if vals else 0.0

        self.cols = {
            "id": col(lambda c: c.member_id, _I),
            "bank": col(lambda c: c.bank_id, _I),
            "network": col(lambda c: c.network_id, _I),
            "nb": col(lambda c: c.neighbourhood_id, _I),
            "allows": col(lambda c: c.bank_allows_cross_bank, bool),
            "ref_count": col(lambda c: c.references.count, _I),
            "ref_mean": col(lambda c: qualities(c.references), float),
            "ref_rel": col(
                lambda c: np.nan if c.references.reliability is None else c.references.reliability, float
            ),
            "completed": col(lambda c: c.completed_exchanges, _I),
            "cancelled": col(lambda c: c.cancellations, _I),
            "last_asked": col(
                lambda c: -np.inf if c.last_asked is None else abs_minutes(c.last_asked), float
            ),
            "balance": col(lambda c: c.balance_minutes, _I),
        }
        self._static_scores(slice(None))
        self.windows = _Csr.from_rows([normalise(c.windows) for c in cands], {"start": _I, "end": _I})
        self._register_banks((c.network_id, c.bank_id, c.bank_allows_cross_bank) for c in cands)
        self.opt_outs = _Csr.from_rows(
            [
                [
                    (abs_minutes(o.start), abs_minutes(o.end), minute_of_week(o.start))
                    for o in sorted(c.opt_outs, key=lambda o: (o.start, o.end))
                ]
                for c in cands
            ],
            {"start": _I, "end": _I, "mow": _I},
        )
        self.checks = _Csr.from_rows(
            [
                [
                    (
                        day_number(k.issued),
                        NO_EXPIRY if k.expires is None else day_number(k.expires),
                        k.covers_children,
                        k.covers_vulnerable_adults,
                    )
                    for k in c.checks
                ]
                for c in cands
            ],
            {"issued": _I, "expires": _I, "children": bool, "adults": bool},
        )
        offer_rows = [
            (i, o.offer_id, o.category_id, self.tag_id_list(o.tags, True))
            for i, c in enumerate(cands)
            for o in c.offers
        ]
        m = len(offer_rows)
        self.offer_member = np.fromiter((r[0] for r in offer_rows), dtype=_I, count=m)
        self.offer_id = np.fromiter((r[1] for r in offer_rows), dtype=_I, count=m)
        self.offer_cat = np.fromiter((r[2] for r in offer_rows), dtype=_I, count=m)
        self.offer_group = np.fromiter((self.group_of(r[2]) for r in offer_rows), dtype=_I, count=m)
        tag_owner = np.fromiter((k for k, r in enumerate(offer_rows) for _ in r[3]), dtype=_I)
        tag_keys = np.fromiter((t for r in offer_rows for t in r[3]), dtype=_I)
        offer_bank = self.cols["bank"][self.offer_member]
        self.by_category = _postings(key(offer_bank, self.offer_cat))
        self.by_tag = {k: tag_owner[v] for k, v in _postings(key(offer_bank[tag_owner], tag_keys)).items()}

    def _static_scores(self, rows) -> None:
        """Score components that do not depend on the request, kept per member."""
        c, p = self.cols, self.policy
        rel = scoring.reliability(
            c["ref_count"][rows], c["ref_mean"][rows], c["completed"][rows], c["cancelled"][rows], p
        )
        pen = scoring.balance(c["balance"][rows], p)
        if isinstance(rows, slice):
            c["reliability"], c["balance_penalty"] = rel, pen
        else:
            c["reliability"][rows], c["balance_penalty"][rows] = rel, pen

    def _append_extra(self, other: MemberIndex, n: int) -> None:
        m = len(self.offer_id)
        self.windows.extend(other.windows)
        self.opt_outs.extend(other.opt_outs)
        self.checks.extend(other.checks)
        self.offer_member = np.concatenate([self.offer_member, other.offer_member + n])
        self.offer_id = np.concatenate([self.offer_id, other.offer_id])
        self.offer_cat = np.concatenate([self.offer_cat, other.offer_cat])
        self.offer_group = np.concatenate([self.offer_group, other.offer_group])
        _merge_postings(self.by_category, other.by_category, m)
        _merge_postings(self.by_tag, other.by_tag, m)

    def touch(
        self,
        member_id: int,
        *,
        last_asked=None,
        balance_minutes=None,
        completed_exchanges=None,
        cancellations=None,
    ) -> None:
        """Cheap in-place update of the counters that change after every exchange."""
        row = self.row_of[member_id]
        changes = {}
        if last_asked is not None:
            self.cols["last_asked"][row] = abs_minutes(last_asked)
            changes["last_asked"] = last_asked
        if balance_minutes is not None:
            self.cols["balance"][row] = balance_minutes
            changes["balance_minutes"] = balance_minutes
        if completed_exchanges is not None:
            self.cols["completed"][row] = completed_exchanges
            changes["completed_exchanges"] = completed_exchanges
        if cancellations is not None:
            self.cols["cancelled"][row] = cancellations
            changes["cancellations"] = cancellations
        self._static_scores(np.array([row]))
        self.records[member_id] = replace(self.records[member_id], **changes)


class NeedIndex(_Base):
    """Open requests and asset-map needs, for finding what an offer could meet."""

    key_name = "request_id"

    @classmethod
    def build(
        cls,
        requests: Iterable[Request],
        adjacency: Mapping[int, Iterable[int]] | None = None,
        category_groups: Mapping[int, int] | None = None,
        policy: Policy = DEFAULT_POLICY,
    ) -> NeedIndex:
        index = cls(adjacency, category_groups, policy)
        latest = {r.request_id: r for r in requests}
        index._load([latest[k] for k in sorted(latest)])
        return index

    def _load(self, reqs: list[Request]) -> None:
        n = len(reqs)
        p = self.policy
        self.records.update({r.request_id: r for r in reqs})
        self.row_of = {r.request_id: i for i, r in enumerate(reqs)}
        self.alive = np.ones(n, dtype=bool)

        def col(fn, dtype):
            return np.fromiter((fn(r) for r in reqs), dtype=dtype, count=n)

        slots = [request_slots(r) for r in reqs]
        spans = [request_span(r, p) for r in reqs]
        tags = [self.tag_id_list(r.tags, True) for r in reqs]
        self.cols = {
            "id": col(lambda r: r.request_id, _I),
            "requester": col(lambda r: -1 if r.requester_id is None else r.requester_id, _I),
            "bank": col(lambda r: r.bank_id, _I),
            "network": col(lambda r: r.network_id, _I),
            "nb": col(lambda r: r.neighbourhood_id, _I),
            "cat": col(lambda r: r.category_id, _I),
            "group": col(lambda r: self.group_of(r.category_id), _I),
            "allows": col(lambda r: r.bank_allows_cross_bank, bool),
            "regular": col(lambda r: r.regular, bool),
            "children": col(lambda r: r.regular and r.involves_children, bool),
            "adults": col(lambda r: r.regular and r.involves_vulnerable_adults, bool),
            "sensitive": col(lambda r: r.sensitive, bool),
            "start_day": col(lambda r: day_number(r.start), _I),
            "start_mow": col(lambda r: minute_of_week(r.start), _I),
            "span_a": np.fromiter((s[0] for s in spans), dtype=_I, count=n),
            "span_b": np.fromiter((s[1] for s in spans), dtype=_I, count=n),
            "minutes": np.fromiter((sum(e - s for s, e in sl) for sl in slots), dtype=_I, count=n),
            "tag_count": np.fromiter((len(t) for t in tags), dtype=_I, count=n),
        }
        self._register_banks((r.network_id, r.bank_id, r.bank_allows_cross_bank) for r in reqs)
        self.slots = _Csr.from_rows(slots, {"start": _I, "end": _I})
        self.by_category = _postings(key(self.cols["bank"], self.cols["cat"]))
        tag_owner = np.fromiter((k for k, ts in enumerate(tags) for _ in ts), dtype=_I)
        tag_keys = np.fromiter((t for ts in tags for t in ts), dtype=_I)
        self.by_tag = {
            k: tag_owner[v] for k, v in _postings(key(self.cols["bank"][tag_owner], tag_keys)).items()
        }

    def _append_extra(self, other: NeedIndex, n: int) -> None:
        self.slots.extend(other.slots)
        _merge_postings(self.by_category, other.by_category, n)
        _merge_postings(self.by_tag, other.by_tag, n)
