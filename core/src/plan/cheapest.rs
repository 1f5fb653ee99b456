//! The cheapest path: the set of modules whose targets, once reached, lift the total to
//! a goal for the least effort.
//!
//! Bringing module i to its target covers `gain_i` more units of the plan's metric
//! (statements and branches for coverage.py's combined figure); the total's denominator
//! never changes, so the goal is met exactly when the gains add up to at least `need`, the
//! least number of units the total is short (found under the tool's own gate). Choosing the set is a 0/1 knapsack with a minimum instead of
//! a maximum, solved exactly:
//!
//! - up to [`EXHAUSTIVE_MAX`] candidate modules, by trying every subset (walked in Gray
//!   code order, so each step adds or removes one module);
//! - beyond that, by dynamic programming over the gain capped at `need`
//!   (`best[w]` = cheapest way to gain at least `w`), which is exact and takes
//!   modules × `need` steps and bits;
//! - only if that would need more than [`DP_MAX_BITS`] bits of choices or
//!   [`DP_MAX_NEED`] cells (about 20 MB either way; a report short by two million
//!   statements), by a greedy pick of the best cost per unit (marked `exact: false`).
//!
//! Ties in cost go to the set with fewer modules (and, when every subset is tried, to
//! the modules listed first). Costs are the effort midpoints in hours
//! (counted in hundredths of an hour, so sums are exact) when every candidate has an
//! effort; otherwise the units to cover, so the path is the least work in statements.

use super::evaluate::PlanStatus;
use crate::analysis::gaps::least;
use crate::model::Metric;
use serde::Serialize;

/// Most candidate modules solved by trying every subset.
pub const EXHAUSTIVE_MAX: usize = 20;

/// Largest dynamic-programming choice table, in bits (32 MiB).
pub const DP_MAX_BITS: u64 = 1 << 27;

/// Largest `need` solved by dynamic programming (10 bytes a cell).
pub const DP_MAX_NEED: u64 = 1 << 21;

/// What a path's cost is counted in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CostBasis {
    /// Effort midpoints, in hours.
    Hours,
    /// Units of the plan's metric to cover (statements and branches for the combined
    /// figure).
    Statements,
}

/// How the set was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Nothing to choose: the goal is met, or cannot be met.
    Trivial,
    /// Every subset tried.
    Exhaustive,
    /// Dynamic programming over the capped gain.
    DynamicProgramming,
    /// Best cost per unit first; not guaranteed least.
    Greedy,
}

/// The least-cost set of modules that lifts the total to the goal.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CheapestPath {
    /// The goal for the total, on the plan's metric, judged by the tool's gate.
    pub goal: f64,
    /// The plan's metric.
    pub metric: Metric,
    /// Decimal places of the judgement.
    pub precision: u8,
    /// What `cost` counts.
    pub basis: CostBasis,
    /// Least units of the plan's metric the total is short of the goal (0 when met).
    pub units_needed: u64,
    /// Indices of the chosen modules, in plan order. When the goal cannot be reached,
    /// every module below its target.
    pub modules: Vec<usize>,
    /// Sum of the chosen modules' costs (hours, or units).
    pub cost: f64,
    /// What the chosen modules need covered, per unit (statements, branches, lines, …).
    #[serde(serialize_with = "super::evaluate::metric_map")]
    pub to_cover: Vec<(Metric, u64)>,
    /// Units of the plan's metric the chosen modules gain.
    pub gain: u64,
    /// The total now.
    pub total_before: f64,
    /// The total once every chosen module reaches its target.
    pub total_after: f64,
    /// Does `total_after` meet the goal?
    pub reaches_goal: bool,
    /// Is the cost the least possible? False only for the greedy fallback.
    pub exact: bool,
    /// How the set was found.
    pub method: Method,
}

/// One choice for [`min_cost_cover`]: what it costs and what it gains.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Item {
    /// Cost, in any integer unit.
    pub cost: u64,
    /// Gain, in units of `need`.
    pub gain: u64,
}

/// A solution of [`min_cost_cover`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cover {
    /// Indices into the items, ascending.
    pub chosen: Vec<usize>,
    /// Sum of their costs.
    pub cost: u128,
    /// How it was found.
    pub method: Method,
}

/// The cheapest set of `items` whose gains add up to at least `need` (ties: fewest
/// items); `None` when all of them together fall short.
pub fn min_cost_cover(items: &[Item], need: u64) -> Option<Cover> {
    if need == 0 {
        return Some(Cover {
            chosen: Vec::new(),
            cost: 0,
            method: Method::Trivial,
        });
    }
    let cand: Vec<usize> = (0..items.len())
        .filter(|&i| items.get(i).is_some_and(|it| it.gain > 0))
        .collect();
    let all: u128 = cand
        .iter()
        .filter_map(|&i| items.get(i))
        .map(|it| u128::from(it.gain))
        .sum();
    if all < u128::from(need) {
        return None;
    }
    let sub: Vec<Item> = cand.iter().filter_map(|&i| items.get(i).copied()).collect();
    let table_bits = (sub.len() as u64).saturating_mul(need.saturating_add(1));
    let (picked, method) = if sub.len() <= EXHAUSTIVE_MAX {
        (exhaustive(&sub, need), Method::Exhaustive)
    } else if table_bits <= DP_MAX_BITS && need <= DP_MAX_NEED {
        (dynamic(&sub, need), Method::DynamicProgramming)
    } else {
        (greedy(&sub, need), Method::Greedy)
    };
    let chosen: Vec<usize> = picked
        .iter()
        .filter_map(|&j| cand.get(j).copied())
        .collect();
    let cost = chosen
        .iter()
        .filter_map(|&i| items.get(i))
        .map(|it| u128::from(it.cost))
        .sum();
    Some(Cover {
        chosen,
        cost,
        method,
    })
}

/// Every subset, in Gray code order: subset k differs from subset k-1 by the module at
/// the lowest set bit of k, so sums are updated, not recomputed.
fn exhaustive(items: &[Item], need: u64) -> Vec<usize> {
    let n = items.len();
    let need = u128::from(need);
    let (mut cost, mut gain, mut count) = (0u128, 0u128, 0u32);
    let mut mask: u32 = 0;
    let mut best: Option<(u128, u32, u32)> = None;
    for k in 1u32..(1u32 << n) {
        let bit = k.trailing_zeros();
        let it = items
            .get(bit as usize)
            .copied()
            .unwrap_or(Item { cost: 0, gain: 0 });
        mask ^= 1 << bit;
        if mask & (1 << bit) != 0 {
            cost += u128::from(it.cost);
            gain += u128::from(it.gain);
            count += 1;
        } else {
            cost -= u128::from(it.cost);
            gain -= u128::from(it.gain);
            count -= 1;
        }
        let better = match best {
            None => true,
            Some((c, n, m)) => match (cost, count).cmp(&(c, n)) {
                std::cmp::Ordering::Less => true,
                // Equal cost and size: the set holding the earliest module where the
                // two differ, so the answer does not depend on the walk's order.
                std::cmp::Ordering::Equal => mask & (1 << (mask ^ m).trailing_zeros()) != 0,
                std::cmp::Ordering::Greater => false,
            },
        };
        if gain >= need && better {
            best = Some((cost, count, mask));
        }
    }
    let mask = best.map_or(0, |b| b.2);
    (0..n).filter(|i| mask & (1 << i) != 0).collect()
}

/// `cost[w]`, `count[w]`: the cheapest way to gain at least `w` (fewest modules on a
/// tie), gains capped at `need`. `took` records, per item, which cells it improved, to
/// walk the choice back. Costs saturate rather than overflow; real efforts are far below.
fn dynamic(items: &[Item], need: u64) -> Vec<usize> {
    const NONE: u64 = u64::MAX;
    let width = usize::try_from(need).unwrap_or(usize::MAX - 1) + 1;
    let words = width.div_ceil(64);
    let mut cost = vec![NONE; width];
    let mut count = vec![0u16; width];
    if let Some(c) = cost.first_mut() {
        *c = 0;
    }
    let mut took = vec![0u64; words * items.len()];
    // For the capped cell, several sources can lead to it; keep the one that won.
    let mut from_at_cap = vec![0usize; items.len()];
    let cap = width - 1;
    for (i, it) in items.iter().enumerate() {
        let g = usize::try_from(it.gain).unwrap_or(usize::MAX);
        // Downwards, so a cell read this pass was not yet written this pass (each item
        // writes only to cells above the one it reads).
        for w in (0..cap).rev() {
            let (Some(&c), Some(&n)) = (cost.get(w), count.get(w)) else {
                continue;
            };
            if c == NONE {
                continue;
            }
            let t = w.saturating_add(g).min(cap);
            let cand = (c.saturating_add(it.cost).min(NONE - 1), n.saturating_add(1));
            let better = match (cost.get(t), count.get(t)) {
                (Some(&ct), Some(&nt)) => ct == NONE || cand < (ct, nt),
                _ => false,
            };
            if better {
                if let (Some(ct), Some(nt)) = (cost.get_mut(t), count.get_mut(t)) {
                    *ct = cand.0;
                    *nt = cand.1;
                }
                if let Some(word) = took.get_mut(i * words + t / 64) {
                    *word |= 1 << (t % 64);
                }
                if t == cap {
                    if let Some(f) = from_at_cap.get_mut(i) {
                        *f = w;
                    }
                }
            }
        }
    }
    let mut chosen = Vec::new();
    let mut t = cap;
    for i in (0..items.len()).rev() {
        let set = took
            .get(i * words + t / 64)
            .is_some_and(|word| word & (1 << (t % 64)) != 0);
        if set {
            chosen.push(i);
            t = if t == cap {
                from_at_cap.get(i).copied().unwrap_or(0)
            } else {
                let g = items
                    .get(i)
                    .map_or(0, |it| usize::try_from(it.gain).unwrap_or(usize::MAX));
                t.saturating_sub(g)
            };
        }
    }
    chosen.reverse();
    chosen
}

/// Cheapest per unit first until the need is met, then drop any pick no longer needed,
/// dearest first.
fn greedy(items: &[Item], need: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    let ratio = |i: usize| {
        items
            .get(i)
            .map_or(f64::INFINITY, |it| it.cost as f64 / it.gain.max(1) as f64)
    };
    order.sort_by(|&a, &b| ratio(a).total_cmp(&ratio(b)));
    let gain = |i: usize| items.get(i).map_or(0, |it| u128::from(it.gain));
    let mut picked = Vec::new();
    let mut sum = 0u128;
    for i in order {
        if sum >= u128::from(need) {
            break;
        }
        sum += gain(i);
        picked.push(i);
    }
    picked.sort_by_key(|&i| std::cmp::Reverse(items.get(i).map_or(0, |it| it.cost)));
    let mut keep = Vec::new();
    for (k, &i) in picked.iter().enumerate() {
        let rest: u128 = keep.iter().map(|&j| gain(j)).sum::<u128>()
            + picked.iter().skip(k + 1).map(|&j| gain(j)).sum::<u128>();
        if rest < u128::from(need) {
            keep.push(i);
        }
    }
    keep.sort_unstable();
    keep
}

/// The cheapest set of the status's modules whose targets lift the total to `goal`
/// (on the plan's metric, by the tool's gate), and the total that results.
pub fn cheapest_path(status: &PlanStatus, goal: f64) -> CheapestPath {
    let rules = status.rules();
    let m = status.metric;
    let t = status.totals.get(m);
    let p = status.precision;
    let empty = t.total == 0 || (m == Metric::Combined && status.totals.statements.total == 0);
    let total_at = |extra: u64| {
        if m == Metric::Combined && status.totals.statements.total == 0 {
            100.0
        } else {
            rules.tally_percent(t.with_covered(extra))
        }
    };
    let short = t.missing();
    let meets = |k: u64| empty || rules.passes(total_at(k), goal, p);
    let units_needed = least(short, meets).unwrap_or(short.saturating_add(1));

    let gain = |i: usize| status.modules.get(i).map_or(0, |m| m.gain);
    let open: Vec<usize> = (0..status.modules.len()).filter(|&i| gain(i) > 0).collect();
    let hours = !open.is_empty()
        && open
            .iter()
            .all(|&i| status.modules.get(i).is_some_and(|m| m.effort.is_some()));
    let basis = if hours {
        CostBasis::Hours
    } else {
        CostBasis::Statements
    };
    let items: Vec<Item> = (0..status.modules.len())
        .map(|i| Item {
            gain: gain(i),
            cost: match basis {
                CostBasis::Statements => status.modules.get(i).map_or(0, |m| m.work()),
                CostBasis::Hours => status
                    .modules
                    .get(i)
                    .and_then(|m| m.effort)
                    .map_or(0, |e| (e.midpoint() * 100.0).round() as u64),
            },
        })
        .collect();

    let (modules, exact, method) = match min_cost_cover(&items, units_needed) {
        Some(c) => (c.chosen, c.method != Method::Greedy, c.method),
        None => (open, true, Method::Trivial),
    };
    let chosen = || modules.iter().filter_map(|&i| status.modules.get(i));
    let mut to_cover: Vec<(Metric, u64)> = Vec::new();
    for (u, n) in chosen().flat_map(|m| m.to_cover.iter().copied()) {
        match to_cover.iter_mut().find(|(x, _)| *x == u) {
            Some((_, k)) => *k += n,
            None => to_cover.push((u, n)),
        }
    }
    let gained: u64 = chosen().map(|m| m.gain).sum();
    let cost = match basis {
        CostBasis::Statements => chosen().map(|m| m.work()).sum::<u64>() as f64,
        CostBasis::Hours => chosen()
            .filter_map(|m| m.effort)
            .map(|e| e.midpoint())
            .sum(),
    };
    let total_after = total_at(gained);
    CheapestPath {
        goal,
        metric: m,
        precision: p,
        basis,
        units_needed: units_needed.min(short),
        modules,
        cost,
        to_cover,
        gain: gained,
        total_before: status.total_percent,
        total_after,
        reaches_goal: empty || rules.passes(total_after, goal, p),
        exact,
        method,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(v: &[(u64, u64)]) -> Vec<Item> {
        v.iter().map(|&(cost, gain)| Item { cost, gain }).collect()
    }

    #[test]
    fn hand_checked() {
        // Need 10. {0,1}: cost 5+5=10 gain 12; {2}: cost 9 gain 10; {3,1}: 3+5=8, gain 4+6=10.
        let it = items(&[(5, 6), (5, 6), (9, 10), (3, 4)]);
        let c = min_cost_cover(&it, 10).expect("reachable");
        assert_eq!((c.chosen, c.cost), (vec![0, 3], 8));
        // Ties in cost go to fewer modules: {2} (cost 8) beats {0,1} (cost 4+4).
        let it = items(&[(4, 5), (4, 5), (8, 10)]);
        assert_eq!(min_cost_cover(&it, 10).expect("ok").chosen, vec![2]);
        // Not reachable.
        assert_eq!(min_cost_cover(&items(&[(1, 3), (1, 3)]), 7), None);
        // Nothing needed.
        assert_eq!(
            min_cost_cover(&it, 0).expect("ok").chosen,
            Vec::<usize>::new()
        );
        // Zero-gain items are never chosen, even free ones.
        let it = items(&[(0, 0), (2, 7)]);
        assert_eq!(min_cost_cover(&it, 7).expect("ok").chosen, vec![1]);
    }

    #[test]
    fn beyond_twenty_modules_the_dp_is_used_and_agrees() {
        // 22 modules: min_cost_cover uses the DP; the exhaustive walk (4 million subsets)
        // checks it.
        let it: Vec<Item> = (0..22u64)
            .map(|i| Item {
                cost: 1 + (i * 37) % 23,
                gain: 3 + (i * 53) % 41,
            })
            .collect();
        for need in [1, 50, 123, 300, 400] {
            let c = min_cost_cover(&it, need).expect("reachable");
            assert_eq!(c.method, Method::DynamicProgramming);
            let e = exhaustive(&it, need);
            let sum = |v: &[usize], f: fn(&Item) -> u64| v.iter().map(|&i| f(&it[i])).sum::<u64>();
            assert!(sum(&c.chosen, |x| x.gain) >= need);
            assert_eq!(
                (c.cost, c.chosen.len()),
                (u128::from(sum(&e, |x| x.cost)), e.len()),
                "need {need}"
            );
        }
    }

    #[test]
    fn too_large_falls_back_to_greedy() {
        let it: Vec<Item> = (0..21u64)
            .map(|i| Item {
                cost: 10 + i,
                gain: 200_000,
            })
            .collect();
        let c = min_cost_cover(&it, DP_MAX_NEED + 1).expect("reachable");
        assert_eq!(c.method, Method::Greedy);
        // 11 items of 200,000 cover 2,097,153; the greedy takes the 11 cheapest.
        assert_eq!(c.chosen, (0..11).collect::<Vec<_>>());
    }

    #[test]
    fn methods_agree_with_brute_force() {
        // A deterministic pseudo-random walk over small instances (xorshift).
        let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |m: u64| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s % m
        };
        for _ in 0..300 {
            let n = 1 + next(9) as usize;
            let it: Vec<Item> = (0..n)
                .map(|_| Item {
                    cost: next(50),
                    gain: next(30),
                })
                .collect();
            let need = next(120);
            let brute = (0u32..(1 << n))
                .filter(|m| {
                    (0..n)
                        .filter(|i| m & (1 << i) != 0)
                        .map(|i| it[i].gain)
                        .sum::<u64>()
                        >= need
                })
                .map(|m| {
                    let ids: Vec<usize> = (0..n).filter(|i| m & (1 << i) != 0).collect();
                    let cost: u64 = ids.iter().map(|&i| it[i].cost).sum();
                    (cost, ids.len())
                })
                .min();
            let cand: Vec<usize> = (0..n).filter(|&i| it[i].gain > 0).collect();
            let sub: Vec<Item> = cand.iter().map(|&i| it[i]).collect();
            for picked in [exhaustive(&sub, need), dynamic(&sub, need)] {
                let gain: u64 = picked.iter().map(|&j| sub[j].gain).sum();
                let cost: u64 = picked.iter().map(|&j| sub[j].cost).sum();
                match brute {
                    Some(b) if need > 0 => {
                        assert!(gain >= need, "{it:?} need {need}: {picked:?}");
                        assert_eq!((cost, picked.len()), b, "{it:?} need {need}");
                    }
                    _ => {}
                }
            }
            let g = greedy(&sub, need);
            if brute.is_some() {
                assert!(g.iter().map(|&j| sub[j].gain).sum::<u64>() >= need);
            }
        }
    }
}
