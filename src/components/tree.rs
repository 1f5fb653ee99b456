//! The directory tree: every directory with its files' counts rolled up, expandable, with
//! the same columns as the file table.

use super::table::{cells, column_head, columns, Col};
use crate::fmt;
use crate::rows::keep;
use crate::state::{Lens, Loaded, View};
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
    /// A file's link was followed: open its view.
    #[prop_or_default]
    pub on_open: Callback<String>,
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
    let mut rows = Vec::new();
    for c in &p.loaded.tree.children {
        walk(c, 0, p, &lens, &cols, &mut rows);
    }
    let span = (cols.len() + 1).to_string();
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
        Some(f) => super::file_link(&p.view, &f.path, super::path_text(&node.name), &p.on_open),
        None => {
            let path = node.path.clone();
            let toggle = p.on_toggle.reform(move |_: MouseEvent| path.clone());
            html! {
                <button type="button" class="dir" aria-expanded={open.to_string()} onclick={toggle}>
                    <span class="caret" aria-hidden="true">{ if open { "▾ " } else { "▸ " } }</span>
                    { super::path_text(&node.name) }{"/"}
                </button>
            }
        }
    };
    out.push(html! {
        <tr key={node.path.clone()} class={classes!(if file.is_some() { "file-row" } else { "dir-row" })} data-path={node.path.clone()} aria-level={(depth + 1).to_string()}>
            <th scope="row" class={classes!("path", depth_class)}>{ name }</th>
            <td class="num">{ fmt::count(c.files) }</td>
            { cells(cols, lens, c, file.map(|f| missing_ranges(f, branches)), &format!("{}%", fmt::pct(&p.view.target.percent.to_string()))) }
        </tr>
    });
    if file.is_none() && open {
        for child in node.children.iter().take(CHILDREN_SHOWN) {
            walk(child, depth + 1, p, lens, cols, out);
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
