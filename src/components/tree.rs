//! The directory tree: every directory with its files' counts rolled up, expandable, with
//! the same columns as the file table.

use super::pct_cell;
use super::table::needed;
use crate::fmt;
use crate::rows::keep;
use crate::state::{Loaded, View};
use covgap_core::analysis::gaps::gap;
use covgap_core::analysis::{missing_ranges, TreeNode};
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
}

/// Deepest indentation step with its own CSS class.
const MAX_DEPTH_CLASS: usize = 12;

/// Children rendered per directory: a directory of thousands of files must not put
/// thousands of rows in the page. The rest are reachable through the filter.
pub const CHILDREN_SHOWN: usize = 200;

/// The tree table.
#[component]
pub fn TreeView(p: &TreeViewProps) -> Html {
    let branches = p.loaded.report.source.branch_coverage;
    let mut rows = Vec::new();
    for c in &p.loaded.tree.children {
        walk(c, 0, p, branches, &mut rows);
    }
    let expand = p.on_expand_all.reform(|_: MouseEvent| true);
    let collapse = p.on_expand_all.reform(|_: MouseEvent| false);
    html! {
        <section class="tree" aria-labelledby="tree-title">
            <div class="controls">
                <h2 id="tree-title">{"Directories"}</h2>
                <button type="button" class="small" onclick={expand}>{"Expand all"}</button>
                <button type="button" class="small" onclick={collapse}>{"Collapse all"}</button>
                if !p.view.filter.is_empty() { <span class="note">{ format!("Files filtered by “{}”; directory totals include every file.", p.view.filter) }</span> }
            </div>
            <div class="table-wrap">
            <table class="data tree-table" id="tree-table">
                <thead>
                    <tr>
                        <th scope="col">{"Directory / file"}</th>
                        <th scope="col" class="num">{"Files"}</th>
                        <th scope="col" class="num">{"Stmts"}</th>
                        <th scope="col" class="num">{"Miss"}</th>
                        <th scope="col" class="num">{"Excl"}</th>
                        if branches {
                            <th scope="col" class="num">{"Branch"}</th>
                            <th scope="col" class="num">{"Partial"}</th>
                        }
                        <th scope="col" class="num">{"Cover"}</th>
                        <th scope="col" class="num">{"Target"}</th>
                        <th scope="col" class="num">{"Gap"}</th>
                        <th scope="col" class="num" title="Least statements to cover to reach the target">{"Needed"}</th>
                        <th scope="col">{"Missing lines"}</th>
                    </tr>
                </thead>
                <tbody>{ for rows }</tbody>
            </table>
            </div>
        </section>
    }
}

fn walk(node: &TreeNode, depth: usize, p: &TreeViewProps, branches: bool, out: &mut Vec<Html>) {
    let report = &p.loaded.report;
    let file = node.file.and_then(|i| report.files.get(i));
    if let Some(f) = file {
        if !keep(f, &p.view) {
            return;
        }
    }
    let c = &node.counts;
    let g = gap(c, p.view.target);
    let open = p.expanded.contains(&node.path);
    let depth_class = format!("d{}", depth.min(MAX_DEPTH_CLASS));
    let name = match file {
        Some(_) => html! { <span class="filename">{ &node.name }</span> },
        None => {
            let path = node.path.clone();
            let toggle = p.on_toggle.reform(move |_: MouseEvent| path.clone());
            html! {
                <button type="button" class="dir" aria-expanded={open.to_string()} onclick={toggle}>
                    <span class="caret" aria-hidden="true">{ if open { "▾ " } else { "▸ " } }</span>
                    <span class="filename">{ &node.name }</span>{"/"}
                </button>
            }
        }
    };
    out.push(html! {
        <tr key={node.path.clone()} class={classes!(if file.is_some() { "file-row" } else { "dir-row" })} data-path={node.path.clone()} aria-level={(depth + 1).to_string()}>
            <th scope="row" class={classes!("path", depth_class)}>{ name }</th>
            <td class="num">{ fmt::count(c.files) }</td>
            <td class="num">{ fmt::count(c.statements) }</td>
            <td class="num">{ fmt::count(c.missing) }</td>
            <td class="num">{ fmt::count(c.excluded) }</td>
            if branches {
                <td class="num">{ fmt::count(c.branches) }</td>
                <td class="num">{ fmt::count(c.partial_branches) }</td>
            }
            <td class="num">{ pct_cell(c.percent_covered(), p.view.target.precision) }</td>
            <td class="num">{ format!("{}%", fmt::pct(&p.view.target.percent.to_string())) }</td>
            <td class="num">{ if g.passes { "—".to_string() } else { fmt::pp(g.gap_pp) } }</td>
            <td class="num">{ needed(g.statements_needed, g.units_needed) }</td>
            <td class="missing">{ file.map(|f| missing_ranges(f, branches)).unwrap_or_default() }</td>
        </tr>
    });
    if file.is_none() && open {
        for child in node.children.iter().take(CHILDREN_SHOWN) {
            walk(child, depth + 1, p, branches, out);
        }
        let rest = node.children.len().saturating_sub(CHILDREN_SHOWN);
        if rest > 0 {
            let class = format!("d{}", (depth + 1).min(MAX_DEPTH_CLASS));
            out.push(html! {
                <tr key={format!("{}/…", node.path)} class="more-row"><td class={classes!("note", class)} colspan="13">
                    { format!("… and {} more in {}/ — use the file table's filter to find them.", fmt::count(rest as u64), node.path) }
                </td></tr>
            });
        }
    }
}
