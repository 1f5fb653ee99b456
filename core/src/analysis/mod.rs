//! Everything computed from a report: missing-line ranges, gaps to a target, the
//! directory tree with roll-ups, and coverage.py-like ordering of rows.

pub mod gaps;
pub mod ranges;
pub mod sort;
pub mod tree;

pub use gaps::{Gap, Target};
pub use ranges::missing_ranges;
pub use sort::{human_cmp, sort_files, SortKey};
pub use tree::{build_tree, TreeNode};
