//! Thin views: props in, callbacks out, no I/O. Each renders under SSR in native tests.

pub mod compare;
pub mod help;
pub mod import;
pub mod keep;
pub mod loads;
pub mod notices;
pub mod plan;
pub mod source;
pub mod summary;
pub mod table;
pub mod tree;

pub use compare::ComparePanel;
pub use help::Help;
pub use import::ImportReview;
pub use keep::KeepBar;
pub use loads::LoadList;
pub use notices::Notices;
pub use plan::PlanPanel;
pub use summary::Summary;
pub use table::FileTable;
pub use tree::TreeView;

use crate::state::Lens;
use covgap_core::Counts;
use yew::prelude::*;

/// What a view asks the app shell to do in the browser: views never call `io` themselves.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Put text on the clipboard; `done` hears whether it worked.
    Copy {
        /// The text.
        text: String,
        /// Told whether the browser allowed it.
        done: Callback<bool>,
    },
    /// Offer text as a file download.
    Download {
        /// The file name.
        name: String,
        /// Its MIME type.
        mime: &'static str,
        /// Its contents.
        text: String,
    },
    /// Move the keyboard focus to the element with this id.
    Focus(String),
    /// Open a report file's view.
    OpenFile {
        /// Its path in the report.
        path: String,
        /// The report it is in (`None`: the report the views show).
        report: Option<u32>,
    },
}

/// A report file's path as a button that opens its view through `effect` (where the
/// view's URL is not at hand: the compare table, the plan).
pub fn file_button(
    path: &str,
    report: Option<u32>,
    label: Html,
    effect: &Callback<Effect>,
) -> Html {
    let (cb, p) = (effect.clone(), path.to_string());
    let onclick = Callback::from(move |_: MouseEvent| {
        cb.emit(Effect::OpenFile {
            path: p.clone(),
            report,
        })
    });
    html! {
        <button type="button" class="link file-open" data-open={crate::fmt::path(path)} onclick={onclick}
            title="Open this file's view: its lines with their coverage">{ label }</button>
    }
}

/// Where a key moves the selection in a WAI-ARIA tab list of `n` tabs whose tab `i` has
/// the focus: Left and Right step (wrapping round), Home and End go to the ends. Any other
/// key is not the tab list's (`None`).
pub fn tab_key(key: &str, i: usize, n: usize) -> Option<usize> {
    if n == 0 {
        return None;
    }
    match key {
        "ArrowRight" => Some((i + 1) % n),
        "ArrowLeft" => Some((i + n - 1) % n),
        "Home" => Some(0),
        "End" => Some(n - 1),
        _ => None,
    }
}

/// A file name or path as text, invisible characters made visible (see
/// [`crate::fmt::path`]); the raw name rides along in `title` when they differ.
pub fn path_text(p: &str) -> Html {
    let shown = crate::fmt::path(p);
    if shown == p {
        html! { <span class="filename">{ shown }</span> }
    } else {
        html! { <span class="filename marked" title="This name holds characters that would be invisible, reorder the text or look like others: they are shown as ⟨U+…⟩">{ shown }</span> }
    }
}

/// A coverage percentage of `c` as the report's tool shows it, with a class for its band
/// (colour is extra; the number is always there). A figure the tool shows as `n/a` or `-`
/// (nothing to measure) gets no `%` and no band.
pub fn pct_cell(lens: &Lens, c: &Counts) -> Html {
    let shown = lens.show(c);
    if !shown.starts_with(|ch: char| ch.is_ascii_digit()) {
        return html! { <span class="pct none" title="nothing to measure">{ shown }</span> };
    }
    pct_value(lens.percent(c), &shown)
}

/// A percentage already shown as text (`shown`, without `%`), with its band.
pub fn pct_value(pct: f64, shown: &str) -> Html {
    let band = if pct >= 90.0 {
        "hi"
    } else if pct >= 50.0 {
        "mid"
    } else {
        "lo"
    };
    html! { <span class={classes!("pct", band)}>{ crate::fmt::pct(shown) }{"%"}</span> }
}

/// A horizontal bar from 0 to 100 with the value filled and an optional target mark, as
/// SVG (attributes, not inline styles, so a strict Content-Security-Policy allows it).
pub fn bar(value: f64, target: Option<f64>, label: &str) -> Html {
    let v = value.clamp(0.0, 100.0);
    html! {
        <svg class="bar" viewBox="0 0 100 6" preserveAspectRatio="none" role="img" aria-label={label.to_string()}>
            <rect class="bar-bg" x="0" y="0" width="100" height="6" />
            <rect class="bar-fill" x="0" y="0" width={format!("{v:.3}")} height="6" />
            if let Some(t) = target {
                <rect class="bar-target" x={format!("{:.3}", t.clamp(0.0, 100.0) - 0.4)} y="0" width="0.8" height="6" />
            }
        </svg>
    }
}

/// A report file's path as a link to its own view (`#/file?path=…`, the rest of `view`
/// kept so the link reopens the list as it was). A plain click opens it in the page
/// through `on_open`; a click with a modifier (new tab, new window) is the browser's.
pub fn file_link(
    href: &crate::state::FileHref,
    path: &str,
    label: Html,
    on_open: &Callback<String>,
) -> Html {
    let href = href.to(path);
    let onclick = {
        let (cb, path) = (on_open.clone(), path.to_string());
        Callback::from(move |e: MouseEvent| {
            if e.button() == 0 && !(e.ctrl_key() || e.meta_key() || e.shift_key() || e.alt_key()) {
                e.prevent_default();
                cb.emit(path.clone());
            }
        })
    };
    html! {
        <a class="file-open" href={href} onclick={onclick} data-open={crate::fmt::path(path)}
            title="Open this file's view: its lines with their coverage">{ label }</a>
    }
}
