//! The directory tree of a report, with counts rolled up at every level.

use super::sort::human_cmp;
use crate::model::{Counts, FileCoverage};
use serde::Serialize;

/// A directory or a file in the tree.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TreeNode {
    /// Last path component (for a collapsed chain, like `src/pkg`, the whole chain).
    pub name: String,
    /// Full path from the root, `/`-separated; empty for the root.
    pub path: String,
    /// Sum of every file below (the file's own counts for a file).
    pub counts: Counts,
    /// Sub-directories first, then files, each in human order.
    pub children: Vec<TreeNode>,
    /// For a file: its index in the report's file list.
    pub file: Option<usize>,
}

impl TreeNode {
    /// Every directory below and including this one, depth first.
    pub fn directories(&self) -> Vec<&TreeNode> {
        let mut out = Vec::new();
        self.walk_dirs(&mut out);
        out
    }

    fn walk_dirs<'a>(&'a self, out: &mut Vec<&'a TreeNode>) {
        if self.file.is_none() {
            out.push(self);
            for c in &self.children {
                c.walk_dirs(out);
            }
        }
    }

    /// Finds the node at `path` (a directory or file path).
    pub fn find(&self, path: &str) -> Option<&TreeNode> {
        if self.path == path {
            return Some(self);
        }
        self.children.iter().find_map(|c| {
            let under = c.path == path
                || path.starts_with(&c.path) && path[c.path.len()..].starts_with('/');
            if under {
                c.find(path)
            } else {
                None
            }
        })
    }
}

/// Builds the tree of `files` (paths split on `/` and `\`). Chains of directories with a
/// single sub-directory and no files are collapsed into one node, so `src/pkg/` does not
/// cost two clicks.
pub fn build_tree(files: &[FileCoverage]) -> TreeNode {
    let mut root = TreeNode {
        name: String::new(),
        path: String::new(),
        counts: Counts::default(),
        children: Vec::new(),
        file: None,
    };
    for (i, f) in files.iter().enumerate() {
        let parts: Vec<&str> = f
            .path
            .split(['/', '\\'])
            .filter(|p| !p.is_empty())
            .collect();
        insert(&mut root, &parts, i, f.counts);
    }
    finish(&mut root);
    root
}

fn insert(node: &mut TreeNode, parts: &[&str], file: usize, counts: Counts) {
    node.counts += counts;
    let Some((first, rest)) = parts.split_first() else {
        return;
    };
    let path = |node: &TreeNode| {
        if node.path.is_empty() {
            first.to_string()
        } else {
            format!("{}/{first}", node.path)
        }
    };
    if rest.is_empty() {
        let path = path(node);
        node.children.push(TreeNode {
            name: first.to_string(),
            path,
            counts,
            children: Vec::new(),
            file: Some(file),
        });
        return;
    }
    // Reports list a directory's files together: its node is nearly always the one added
    // last, so look there before searching (a report of 10,000 files under 200 top-level
    // directories builds its tree in one pass instead of 10,000 searches).
    let is_dir = |c: &TreeNode| c.file.is_none() && c.name == *first;
    let pos = match node.children.last() {
        Some(c) if is_dir(c) => Some(node.children.len() - 1),
        _ => node.children.iter().rposition(is_dir),
    };
    let pos = match pos {
        Some(p) => p,
        None => {
            let path = path(node);
            node.children.push(TreeNode {
                name: first.to_string(),
                path,
                counts: Counts::default(),
                children: Vec::new(),
                file: None,
            });
            node.children.len() - 1
        }
    };
    if let Some(child) = node.children.get_mut(pos) {
        insert(child, rest, file, counts);
    }
}

fn finish(node: &mut TreeNode) {
    for c in &mut node.children {
        finish(c);
    }
    // Collapse `a/` whose only child is the directory `a/b/` into `a/b`.
    for c in &mut node.children {
        while c.file.is_none() && c.children.len() == 1 {
            let Some(only) = c.children.pop_if(|o| o.file.is_none()) else {
                break;
            };
            c.name = format!("{}/{}", c.name, only.name);
            c.path = only.path;
            c.children = only.children;
        }
    }
    node.children.sort_by(|a, b| {
        a.file
            .is_some()
            .cmp(&b.file.is_some())
            .then_with(|| human_cmp(&a.name, &b.name))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(path: &str, stmts: u64, covered: u64) -> FileCoverage {
        FileCoverage {
            path: path.into(),
            counts: Counts::coveragepy(stmts, covered, 0, 0),
            ..Default::default()
        }
    }

    #[test]
    fn rolls_up_and_collapses() {
        let files = [
            f("src/pkg/a.py", 10, 5),
            f("src/pkg/sub/b.py", 20, 20),
            f("src/pkg/sub/c.py", 4, 0),
            f("setup.py", 2, 2),
        ];
        let t = build_tree(&files);
        assert_eq!(t.counts.statements.total, 36);
        assert_eq!(t.children[0].name, "src/pkg");
        assert_eq!(t.children[1].name, "setup.py");
        let sub = t.find("src/pkg/sub").expect("sub exists");
        assert_eq!(
            (
                sub.counts.statements.total,
                sub.counts.statements.covered,
                sub.counts.files
            ),
            (24, 20, 2)
        );
        assert_eq!(t.directories().len(), 3);
    }

    #[test]
    fn a_directorys_files_need_not_be_listed_together() {
        let sorted = [
            f("a/x.py", 1, 1),
            f("a/y.py", 2, 1),
            f("a/z/w.py", 3, 0),
            f("b.py", 4, 4),
            f("c/v.py", 5, 2),
        ];
        let mixed = [
            f("a/x.py", 1, 1),
            f("c/v.py", 5, 2),
            f("b.py", 4, 4),
            f("a/z/w.py", 3, 0),
            f("a/y.py", 2, 1),
        ];
        let (s, m) = (build_tree(&sorted), build_tree(&mixed));
        let shape = |t: &TreeNode| {
            t.directories()
                .iter()
                .map(|d| (d.path.clone(), d.counts.statements.total, d.counts.files))
                .collect::<Vec<_>>()
        };
        assert_eq!(shape(&s), shape(&m));
        assert_eq!(s.counts, m.counts);
        // One node per directory however its files came.
        assert_eq!(m.find("a").map(|a| a.counts.files), Some(3));
        assert_eq!(m.children.iter().filter(|c| c.name == "a").count(), 1);
    }
}
