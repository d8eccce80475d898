"""Time helpers: minute of the week, weekly windows, requested spans."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import numpy as np

WEEK = 7 * 24 * 60
_EPOCH = datetime(1970, 1, 1)


def minute_of_week(dt: datetime) -> int:
    """Wall-clock minute of the week, Monday 00:00 = 0."""
    return dt.weekday() * 1440 + dt.hour * 60 + dt.minute


def abs_minutes(dt: datetime) -> int:
    """Minutes since 1970 (aware: real time; naive: wall clock)."""
    if dt.tzinfo is not None and dt.utcoffset() is not None:
        return int(dt.timestamp() // 60)
    return int((dt - _EPOCH) // timedelta(minutes=1))


def day_number(d: date | datetime) -> int:
    if isinstance(d, datetime):
        d = d.date()
    return d.toordinal()


def normalise(windows) -> list[tuple[int, int]]:
    """Split windows wrapping the week, clip, sort and merge overlaps."""
    parts: list[tuple[int, int]] = []
    for start, end in windows:
        start, end = int(start), int(end)
        if end - start >= WEEK:
            return [(0, WEEK)]
        start %= WEEK
        end %= WEEK
        if end == 0:
            end = WEEK
        if start < end:
            parts.append((start, end))
        elif start > end:
            parts.append((start, WEEK))
            if end > 0:
                parts.append((0, end))
        # start == end (after wrapping, length 0 or a full week handled above): skip
    parts.sort()
    merged: list[tuple[int, int]] = []
    for start, end in parts:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def occasion_window(start: datetime, end: datetime) -> list[tuple[int, int]]:
    """The weekly slot(s) an occasion ``start``..``end`` falls in."""
    length = abs_minutes(end) - abs_minutes(start)
    if length <= 0:
        return []
    first = minute_of_week(start)
    return normalise([(first, first + min(length, WEEK))])


def request_end(request) -> datetime:
    return request.end if request.end is not None else request.start + timedelta(hours=1)


def request_slots(request) -> list[tuple[int, int]]:
    """The weekly slots asked for."""
    if request.regular and request.weekly:
        return normalise(request.weekly)
    return occasion_window(request.start, request_end(request))


def request_span(request, policy) -> tuple[int, int]:
    """Absolute minutes ``[a, b)`` in which an opt-out clashes with the request."""
    a = abs_minutes(request.start)
    if not request.regular:
        return a, max(a + 1, abs_minutes(request_end(request)))
    ends = []
    if request.until is not None:
        until = request.until
        if not isinstance(until, datetime):
            until = datetime.combine(until, time.min, tzinfo=request.start.tzinfo) + timedelta(days=1)
        ends.append(abs_minutes(until))
    horizon = policy.regular_opt_out_horizon_days
    if horizon is not None or not ends:
        ends.append(a + (horizon if horizon is not None else 28) * 1440)
    return a, max(a + 1, min(ends))


def overlap_with(starts: np.ndarray, ends: np.ndarray, windows) -> np.ndarray:
    """Minutes of each interval ``[starts[i], ends[i])`` inside the (merged) ``windows``."""
    if len(windows) == 0 or len(starts) == 0:
        return np.zeros(len(starts), dtype=np.int64)
    w = np.asarray(windows, dtype=np.int64)
    lo = np.maximum(starts[:, None], w[None, :, 0])
    hi = np.minimum(ends[:, None], w[None, :, 1])
    return np.clip(hi - lo, 0, None).sum(axis=1)


def clash_in_weekly(clip_start_mow: int, length: int, slots) -> bool:
    """Does an interval starting at minute-of-week ``clip_start_mow`` lasting
    ``length`` minutes touch any of the weekly ``slots``?"""
    if length <= 0 or not slots:
        return False
    if length >= WEEK:
        return True
    parts = normalise([(clip_start_mow, clip_start_mow + length)])
    for a, b in parts:
        for s, e in slots:
            if a < e and s < b:
                return True
    return False


def weekly_clash(mow, length, owner, slot_start, slot_end, n: int) -> np.ndarray:
    """Vector form of :func:`clash_in_weekly` for ``n`` intervals at once.

    Interval ``i`` starts at minute of week ``mow[i]`` and lasts ``length[i]``;
    its weekly slots are the flat ``slot_start/slot_end`` items whose
    ``owner`` is ``i``.
    """
    mow = np.asarray(mow, dtype=np.int64)
    length = np.asarray(length, dtype=np.int64)
    end1 = np.minimum(mow + np.maximum(length, 0), WEEK)
    end2 = np.clip(mow + length - WEEK, 0, None)
    a1, b1, b2 = mow[owner], end1[owner], end2[owner]
    ov = np.clip(np.minimum(slot_end, b1) - np.maximum(slot_start, a1), 0, None)
    ov = ov + np.clip(np.minimum(slot_end, b2) - slot_start, 0, None)
    return np.bincount(owner, weights=ov, minlength=n) > 0
