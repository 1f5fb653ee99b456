//! Everything computed from a report: missing-line ranges, gaps to a target, the
//! directory tree with roll-ups, coverage.py-like ordering of rows, and the comparison and
//! trend of several reports over time.

pub mod compare;
pub mod gaps;
pub mod ranges;
pub mod sort;
pub mod time;
pub mod tree;
pub mod trend;

pub use compare::{
    common_metric, compare, CompareError, CompareOptions, Comparison, FileDelta, FileStatus,
};
pub use gaps::{Gap, Target};
pub use ranges::missing_ranges;
pub use sort::{human_cmp, sort_files, SortBasis, SortKey};
pub use time::{baseline_first, chronological_order, parse_timestamp, OrderBasis, Timestamp};
pub use tree::{build_tree, TreeNode};
pub use trend::{trend, Projection, Trend, TrendOptions};
