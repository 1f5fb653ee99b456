//! The board: modules by column, derived from the numbers unless the plan sets one. A
//! select per card sets (or clears) the column in the plan.

use super::edit::{status, status_key};
use super::{mark, pct2, target_text, value_of, Ctx, Edit};
use crate::components::bar;
use covgap_core::plan::{Metric, ModuleStatus, Status};
use yew::prelude::*;

pub(super) fn view(c: &Ctx) -> Html {
    let s = c.status;
    html! {
        <div class="plan-board">
            <p class="hint">{"Columns follow the numbers: at target → Done; an owner and below target → In progress; otherwise Backlog. Set a column by hand with the select on a card (it is saved in the plan)."}</p>
            <div class="board">
                { for Status::ALL.into_iter().map(|col| {
                    let cards: Vec<&ModuleStatus> = s.modules.iter().filter(|m| m.status == col).collect();
                    let id = format!("col-{}", status_key(col));
                    html! {
                        <section class="board-column" aria-labelledby={id.clone()} data-column={status_key(col)}>
                            <h3 id={id}>{ col.label() }<span class="count">{ format!(" ({})", cards.len()) }</span></h3>
                            <ul>
                                { for cards.into_iter().map(|m| card(c, m)) }
                            </ul>
                        </section>
                    }
                }) }
            </div>
        </div>
    }
}

fn card(c: &Ctx, m: &ModuleStatus) -> Html {
    let i = m.index;
    let on_change = {
        let edit = c.edit.clone();
        Callback::from(move |e: Event| {
            if let Ok(s) = status(&value_of(&e)) {
                edit.emit(Edit::Status(i, s));
            }
        })
    };
    let metric = match m.metric {
        Metric::Combined => String::new(),
        other => format!(" ({})", other.key()),
    };
    let set = m.status_overridden.then_some(m.status);
    html! {
        <li class={classes!("card", m.below_floor.then_some("below-floor"))} data-module={m.name.clone()}>
            <div class="card-head">
                <strong class="module-name">{ m.name.clone() }</strong>
                { mark(m.meets_target) }
            </div>
            <p class="card-figures">{ format!("{} → {}{metric}", pct2(c.status, m.current), target_text(m.target)) }</p>
            { bar(m.current, Some(m.target), &format!("{}: {} of a {} target", m.name, pct2(c.status, m.current), target_text(m.target))) }
            <p class="card-meta">
                { match &m.owner {
                    Some(o) if !o.trim().is_empty() => html! { <span class="owner">{ format!("Owner: {o}") }</span> },
                    _ => html! { <span class="muted">{"No owner"}</span> },
                } }
                if m.below_floor {
                    <span class="badge warn">{ format!("below the floor of {}", target_text(c.status.floor.unwrap_or(0.0))) }</span>
                }
            </p>
            <label class="field">{"Column"}<span class="visually-hidden">{ format!(" of {}", m.name) }</span>
                <select id={format!("status-{i}")} onchange={on_change}>
                    <option value="" selected={set.is_none()}>{ format!("Auto: {}", m.derived_status.label()) }</option>
                    { for Status::ALL.into_iter().map(|s| html! {
                        <option value={status_key(s)} selected={set == Some(s)}>{ s.label() }</option>
                    }) }
                </select>
            </label>
            if m.status_overridden && m.status != m.derived_status {
                <p class="card-note">{ format!("Set by hand; the numbers say {}.", m.derived_status.label().to_lowercase()) }</p>
            }
        </li>
    }
}
