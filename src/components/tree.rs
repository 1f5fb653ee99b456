//! The directory tree: every directory with its files' counts rolled up, expandable, with
//! the same columns as the file table.

use super::table::{cells, column_head, columns, Col};
use super::Effect;
use crate::fmt;
use crate::rows::keep;
use crate::state::{Lens, Loaded, View};
use covgap_core::analysis::{missing_ranges, TreeNode};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`TreeView`].
#[derive(Properties, PartialEq)]
pub struct TreeViewProps {
    /// The report.
    pub loaded: Rc<Loaded>,
    /// Filter and target.
    pub view: View,
    /// Expanded directory paths.
    pub expanded: BTreeSet<String>,
    /// Expand or collapse a directory.
    pub on_toggle: Callback<String>,
    /// Expand (true) or collapse (false) everything.
    pub on_expand_all: Callback<bool>,
    /// A file's link was followed: open its view.
    #[prop_or_default]
    pub on_open: Callback<String>,
    /// Focus moves (the keyboard walks the rows).
    #[prop_or_default]
    pub on_effect: Callback<Effect>,
    /// Kept in the page but not shown (another tab is).
    #[prop_or_default]
    pub hidden: bool,
}

/// A row in sight, for the keyboard (WAI-ARIA treegrid: Up/Down/Home/End move, Right opens
/// or goes to the first child, Left closes or goes to the parent, Enter opens or closes).
struct Nav {
    path: String,
    depth: usize,
    dir: bool,
    open: bool,
    /// The report's path of a file row (Enter opens its view).
    file: Option<String>,
    /// Its index among the rendered rows (which include "… and N more").
    row: usize,
}

/// What the rows' key handlers share.
struct Keys {
    nav: Rc<RefCell<Vec<Nav>>>,
    toggle: Callback<String>,
    effect: Callback<Effect>,
    open: Callback<String>,
    active: UseStateSetter<Option<String>>,
    /// The file rows' links.
    href: crate::state::FileHref,
}

/// The id of the row at `i` among the rows in sight.
fn row_id(i: usize) -> String {
    format!("tree-row-{i}")
}

/// Deepest indentation step with its own CSS class.
const MAX_DEPTH_CLASS: usize = 12;

/// Children rendered per directory: a directory of thousands of files must not put
/// thousands of rows in the page. The rest are reachable through the filter.
pub const CHILDREN_SHOWN: usize = 200;

/// The tree table.
#[component]
pub fn TreeView(p: &TreeViewProps) -> Html {
    let lens = p.loaded.lens(&p.view);
    let cols = columns(&p.loaded, &lens);
    // One tab stop in the tree: the row last focused, else the first.
    let active = use_state_eq(|| None::<String>);
    let keys = Keys {
        nav: Rc::default(),
        toggle: p.on_toggle.clone(),
        effect: p.on_effect.clone(),
        open: p.on_open.clone(),
        active: active.setter(),
        href: crate::state::FileHref::new(&p.view),
    };
    let mut rows = Vec::new();
    for c in &p.loaded.tree.children {
        walk(c, 0, p, &lens, &cols, &keys, &mut rows);
    }
    let stop = {
        let nav = keys.nav.borrow();
        let at = active
            .as_deref()
            .and_then(|a| nav.iter().find(|n| n.path == a))
            .or(nav.first());
        at.map(|n| n.row)
    };
    if let Some(Html::VTag(tag)) = stop.and_then(|i| rows.get_mut(i)) {
        Rc::make_mut(tag).add_attribute("tabindex", "0");
    }
    let span = (cols.len() + 1).to_string();
    let expand = p.on_expand_all.reform(|_: MouseEvent| true);
    let collapse = p.on_expand_all.reform(|_: MouseEvent| false);
    html! {
        <section class="tree" aria-labelledby="tree-title" hidden={p.hidden}>
            <div class="controls">
                <h2 id="tree-title">{"Directories"}</h2>
                <button type="button" class="small" onclick={expand}>{"Expand all"}</button>
                <button type="button" class="small" onclick={collapse}>{"Collapse all"}</button>
                if !p.view.filter.is_empty() { <span class="note">{ format!("Files filtered by “{}”; directory totals include every file.", p.view.filter) }</span> }
            </div>
            <div class="table-wrap">
            <table class="data tree-table" id="tree-table" role="treegrid" aria-labelledby="tree-title">
                <thead>
                    <tr>
                        <th scope="col">{"Directory / file"}</th>
                        <th scope="col" class="num">{"Files"}</th>
                        { for cols.iter().filter(|c| **c != Col::Name).map(|&col| {
                            let (title, _, tip) = column_head(col, &lens);
                            let class = classes!((col != Col::MissingLines).then_some("num"));
                            html! { <th scope="col" class={class} title={tip}>{ title }</th> }
                        }) }
                    </tr>
                </thead>
                <tbody data-span={span}>{ for rows }</tbody>
            </table>
            </div>
        </section>
    }
}

fn walk(
    node: &TreeNode,
    depth: usize,
    p: &TreeViewProps,
    lens: &Lens,
    cols: &[Col],
    keys: &Keys,
    out: &mut Vec<Html>,
) {
    let report = &p.loaded.report;
    let branches = report.source.branch_coverage;
    let file = node.file.and_then(|i| report.files.get(i));
    if let Some(f) = file {
        if !keep(f, &p.view, lens) {
            return;
        }
    }
    let c = &node.counts;
    let open = p.expanded.contains(&node.path);
    let depth_class = format!("d{}", depth.min(MAX_DEPTH_CLASS));
    let name = match file {
        Some(f) => super::file_link(
            &keys.href,
            &f.path,
            super::path_text(&node.name),
            &p.on_open,
        ),
        None => {
            let path = node.path.clone();
            let toggle = p.on_toggle.reform(move |_: MouseEvent| path.clone());
            html! {
                <button type="button" class="dir" tabindex="-1" aria-expanded={open.to_string()} onclick={toggle}>
                    <span class="caret" aria-hidden="true">{ if open { "▾ " } else { "▸ " } }</span>
                    { super::path_text(&node.name) }{"/"}
                </button>
            }
        }
    };
    let i = {
        let mut nav = keys.nav.borrow_mut();
        nav.push(Nav {
            path: node.path.clone(),
            depth,
            dir: file.is_none(),
            open,
            file: file.map(|f| f.path.clone()),
            row: out.len(),
        });
        nav.len() - 1
    };
    let onkeydown = row_keys(keys, i);
    let onfocusin = {
        let set = keys.active.clone();
        let path = node.path.clone();
        Callback::from(move |_: FocusEvent| set.set(Some(path.clone())))
    };
    out.push(html! {
        <tr key={node.path.clone()} id={row_id(i)} class={classes!(if file.is_some() { "file-row" } else { "dir-row" })} data-path={node.path.clone()}
            aria-level={(depth + 1).to_string()} aria-expanded={file.is_none().then(|| open.to_string())} tabindex="-1"
            {onkeydown} {onfocusin}>
            <th scope="row" class={classes!("path", depth_class)}>{ name }</th>
            <td class="num">{ fmt::count(c.files) }</td>
            { cells(cols, lens, c, file.map(|f| missing_ranges(f, branches)), &format!("{}%", fmt::pct(&p.view.target.percent.to_string()))) }
        </tr>
    });
    if file.is_none() && open {
        for child in node.children.iter().take(CHILDREN_SHOWN) {
            walk(child, depth + 1, p, lens, cols, keys, out);
        }
        let rest = node.children.len().saturating_sub(CHILDREN_SHOWN);
        if rest > 0 {
            let class = format!("d{}", (depth + 1).min(MAX_DEPTH_CLASS));
            out.push(html! {
                <tr key={format!("{}/…", node.path)} class="more-row"><td class={classes!("note", class)} colspan={(cols.len() + 1).to_string()}>
                    { format!("… and {} more in {}/ — use the file table's filter to find them.", fmt::count(rest as u64), fmt::path(&node.path)) }
                </td></tr>
            });
        }
    }
}

/// The key handler of the row at `i`: keys pressed on the row itself (not on its button).
fn row_keys(keys: &Keys, i: usize) -> Callback<KeyboardEvent> {
    let nav = keys.nav.clone();
    let toggle = keys.toggle.clone();
    let effect = keys.effect.clone();
    let open = keys.open.clone();
    Callback::from(move |e: KeyboardEvent| {
        // Yew delegates events, so "the row itself" is told by the target's tag.
        let on_row = e
            .target_dyn_into::<web_sys::Element>()
            .is_some_and(|t| t.tag_name().eq_ignore_ascii_case("tr"));
        if !on_row || e.alt_key() || e.ctrl_key() || e.meta_key() {
            return;
        }
        let nav = nav.borrow();
        let Some(me) = nav.get(i) else { return };
        let go = |j: usize| Some(Err(j));
        // Ok(path): open or close that directory; Err(j): focus row j.
        let what: Option<Result<String, usize>> = match e.key().as_str() {
            "ArrowDown" if i + 1 < nav.len() => go(i + 1),
            "ArrowUp" if i > 0 => go(i - 1),
            "Home" => go(0),
            "End" => go(nav.len().saturating_sub(1)),
            "ArrowRight" if me.dir && !me.open => Some(Ok(me.path.clone())),
            "ArrowRight" if me.dir => nav
                .get(i + 1)
                .filter(|n| n.depth > me.depth)
                .and_then(|_| go(i + 1)),
            "ArrowLeft" if me.dir && me.open => Some(Ok(me.path.clone())),
            "ArrowLeft" => nav[..i]
                .iter()
                .rposition(|n| n.depth < me.depth)
                .and_then(go),
            "Enter" | " " if me.dir => Some(Ok(me.path.clone())),
            "Enter" => {
                if let Some(path) = &me.file {
                    e.prevent_default();
                    open.emit(path.clone());
                }
                None
            }
            _ => None,
        };
        match what {
            Some(Ok(path)) => {
                e.prevent_default();
                toggle.emit(path);
            }
            Some(Err(j)) => {
                e.prevent_default();
                effect.emit(Effect::Focus(row_id(j)));
            }
            None => {}
        }
    })
}
