"""Members who give but do not ask: the bank should see them and nudge them."""

from __future__ import annotations

from datetime import datetime, timedelta

from .index import MemberIndex
from .policy import Policy
from .reasons import Reason, reason


def members_to_nudge(
    index: MemberIndex,
    now: datetime,
    *,
    quiet_days: int = 90,
    policy: Policy | None = None,
) -> list[tuple[int, Reason]]:
    """Members holding at least ``policy.nudge_balance_minutes`` of unspent
    credit who have not asked for help in ``quiet_days`` (or ever); biggest
    balance first, then member id."""
    p = policy or index.policy
    since = now - timedelta(days=quiet_days)
    out = []
    for member_id, c in index.records.items():
        if c.balance_minutes >= p.nudge_balance_minutes and (
            c.last_requested is None or c.last_requested < since
        ):
            out.append((-c.balance_minutes, member_id, reason("nudge_to_ask", hours=c.balance_minutes // 60)))
    out.sort(key=lambda t: (t[0], t[1]))
    return [(member_id, r) for _, member_id, r in out]
