//! The root component: owns the one reducer, wires browser events (drop, keys, hash) to
//! actions, and lays out the views.

use crate::components::source::{FileView, SourcesBar};
use crate::components::{
    ComparePanel, Effect, FileTable, Help, ImportReview, KeepBar, LoadList, Notices, PlanPanel,
    Summary, TreeView,
};
use crate::sources::SourceFolder;
use crate::state::{Action, AppState, SourceAction, Tab, View};
use std::rc::Rc;
use yew::prelude::*;

/// The demo report, relative to the page so it works under any sub-path.
pub const DEMO_URL: &str = "demo/coverage.json";
/// Name shown for the demo report.
pub const DEMO_NAME: &str = "demo: jinja2 3.1.6 coverage.json";

/// Props of [`App`]: none in the browser; tests may start from a given state.
#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// Initial state (tests and server-side rendering).
    #[prop_or_default]
    pub initial: Option<Rc<AppState>>,
}

/// The whole page.
#[component]
pub fn App(props: &AppProps) -> Html {
    let initial = props.initial.clone();
    let state = use_reducer(move || match initial {
        Some(s) => (*s).clone(),
        None => AppState::default(),
    });
    let dragging = use_state(|| false);
    let dispatch = state.dispatcher();
    // The user's number format is a value in the state: put it in force for this render.
    crate::fmt::set_locale(&state.locale);

    use_browser_effects(&state, &dispatch);

    let on_drop = {
        let dispatch = dispatch.clone();
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            load_dropped(&dispatch, e);
        })
    };
    let on_dragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if !*dragging {
                dragging.set(true);
            }
        })
    };
    let on_dragleave = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            // Only when leaving the window, not when moving between children.
            if e.related_target().is_none() {
                dragging.set(false);
            }
        })
    };
    let d = dispatch.clone();
    let on_pick = Callback::from(move |e: Event| load_picked(&d, e));
    let d = dispatch.clone();
    let on_demo = Callback::from(move |_: MouseEvent| load_demo(&d));
    let open_picker = Callback::from(|_: MouseEvent| crate::io::click("file-input"));
    // Views ask; the shell does the browser part.
    let on_effect = {
        let d = dispatch.clone();
        let state = state.clone();
        Callback::from(move |e: Effect| match e {
            Effect::Copy { text, done } => crate::io::copy_text(&text, done),
            Effect::Download { name, mime, text } => crate::io::download(&name, mime, &text),
            Effect::Focus(id) => crate::io::focus(&id),
            Effect::OpenFile { path, report } => {
                // The file's report becomes the one shown, then the file opens as from
                // the table: a history entry of its own.
                let mut v = crate::state::View {
                    file: Some(path.clone()),
                    line: None,
                    ..state.view.clone()
                };
                if let Some(id) = report.filter(|&id| state.current != Some(id)) {
                    d.dispatch(Action::Select(id));
                    v.report = state
                        .reports
                        .iter()
                        .find(|r| r.id == id)
                        .map(|r| r.name.clone());
                }
                crate::io::push_file_hash(&v.to_hash());
                d.dispatch(Action::Source(SourceAction::Open(path)));
            }
        })
    };
    let d = dispatch.clone();
    let on_help = Callback::from(move |_: MouseEvent| d.dispatch(Action::ToggleHelp(true)));
    let d = dispatch.clone();
    let paste_open = state.paste_open;
    let on_paste_toggle =
        Callback::from(move |_: MouseEvent| d.dispatch(Action::TogglePaste(!paste_open)));

    let on_remove = {
        let d = dispatch.clone();
        Callback::from(move |id: u32| {
            // A card removed while loading stops its worker too.
            crate::io::cancel_load(id);
            crate::io::forget_blob(id);
            d.dispatch(Action::Remove(id));
        })
    };
    // All I/O stays in io/: the card's Cancel stops the load's worker, which reports
    // LoadCancelled through the load's own callback.
    let on_cancel = Callback::from(crate::io::cancel_load);
    let on_keep = {
        let d = dispatch.clone();
        let loads: Vec<(u32, String)> = state
            .reports
            .iter()
            .map(|r| (r.id, r.name.clone()))
            .collect();
        let plan = state.plan.as_ref().map(|p| {
            (
                p.name.clone(),
                covgap_core::export::plan::plan_json(&p.plan),
            )
        });
        let state = state.clone();
        Callback::from(move |_: ()| {
            let d = d.clone();
            crate::io::keep(
                loads.clone(),
                plan.clone(),
                kept_sources(&state),
                Callback::from(move |r| d.dispatch(Action::Kept(r))),
            );
        })
    };
    let on_forget = {
        let d = dispatch.clone();
        Callback::from(move |_: ()| {
            let d = d.clone();
            crate::io::forget_kept(Callback::from(move |r| d.dispatch(Action::Forgotten(r))));
        })
    };
    let current = state.current_report().cloned();
    // The tree is built the first time its tab is shown, and kept in the page after.
    let tree_seen = {
        let seen = use_mut_ref(|| false);
        if state.view.tab == Tab::Tree {
            *seen.borrow_mut() = true;
        }
        let seen = *seen.borrow();
        seen
    };
    let nothing_yet = state.loads.is_empty();
    let on_folder = {
        let d = dispatch.clone();
        Callback::from(move |e: Event| crate::io::sources::folder_from_input(e, folder_added(&d)))
    };
    let on_forget_folder = {
        let d = dispatch.clone();
        Callback::from(move |id: u32| {
            crate::io::sources::forget_folder(id);
            d.dispatch(Action::Source(SourceAction::RemoveFolder(id)));
        })
    };
    // A file link followed in the page: a history entry of its own, so back returns.
    let on_open = {
        let d = dispatch.clone();
        let view = state.view.clone();
        Callback::from(move |path: String| {
            let v = crate::state::View {
                file: Some(path.clone()),
                line: None,
                ..view.clone()
            };
            crate::io::push_file_hash(&v.to_hash());
            d.dispatch(Action::Source(SourceAction::Open(path)));
        })
    };
    let file_open = state.view.file.is_some();
    let unit = |a: fn() -> Action| {
        let d = dispatch.clone();
        Callback::from(move |_: ()| d.dispatch(a()))
    };

    html! {
        <div class={classes!("app", dragging.then_some("dragging"))}
            ondrop={on_drop} ondragover={on_dragover} ondragleave={on_dragleave}>
            <header class="topbar">
                <div class="brand">
                    <h1>{"covgap"}</h1>
                    <p class="tagline">{"Coverage gaps to target — computed in your browser; nothing is uploaded."}</p>
                </div>
                <div class="actions">
                    <input type="file" id="file-input" class="visually-hidden" multiple=true
                        accept=".json,.info,.lcov,.xml,.out,.txt,.md,.markdown,application/json,application/xml,text/xml,text/plain,text/markdown" onchange={on_pick} tabindex="-1" aria-hidden="true" />
                    <button type="button" class="primary" id="open-files" onclick={open_picker}>{"Open reports…"}</button>
                    <button type="button" id="paste-toggle" aria-expanded={state.paste_open.to_string()} onclick={on_paste_toggle}>{"Paste a report"}</button>
                    <button type="button" id="demo" onclick={on_demo}>{"Try the demo"}</button>
                    <button type="button" class="icon" id="help-button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onclick={on_help}>{"?"}</button>
                </div>
            </header>
            <main>
                if state.paste_open { <PasteBox dispatch={dispatch.clone()} /> }
                if nothing_yet {
                    <section class="dropzone empty" aria-labelledby="drop-title">
                        <h2 id="drop-title">{"Drop coverage reports here"}</h2>
                        <p>{"Or "}<button type="button" class="link" onclick={Callback::from(|_: MouseEvent| crate::io::click("file-input"))}>{"choose files"}</button>
                           {". covgap reads coverage.py JSON, Istanbul JSON (nyc, c8, Jest, Vitest), llvm-cov JSON, LCOV, Cobertura XML (coverage.py, gcovr, others), JaCoCo XML and Go cover profiles — "}
                           {"what the report is comes from its content, not its name — shows every figure exactly as the tool that wrote it does, and how much stands between you and your target."}</p>
                        <p>{"Plans too: a covgap plan file (JSON), or a markdown roadmap, read like "}<code>{"covgap import"}</code>{" and shown as understood before it is used."}</p>
                        <p class="privacy">{"Your report never leaves this machine: everything is computed in this page."}</p>
                    </section>
                } else {
                    <p class="dropzone slim">{"Drop more reports anywhere on the page."}</p>
                }
                <Notices notices={state.notices.clone()} on_dismiss={to(&dispatch, Action::DismissNotice)}
                    on_undo={unit(|| Action::PlanUndo)} on_target={to(&dispatch, Action::RestoreTarget)} />
                <LoadList loads={state.loads.clone()} reports={state.reports.clone()} current={state.current} plan={state.plan.clone()}
                    on_select={to(&dispatch, Action::Select)} on_remove={on_remove} on_cancel={on_cancel} on_clear_failed={unit(|| Action::ClearFailed)} />
                if let Some(imp) = state.import.clone() {
                    <ImportReview import={imp} on_use={unit(|| Action::ImportAccept)} on_cancel={unit(|| Action::ImportCancel)} />
                }
                if !nothing_yet || state.storage.kept.is_some() {
                    <KeepBar storage={state.storage.clone()} can_keep={!state.reports.is_empty() || state.plan.is_some()}
                        sources={state.source.matched.as_ref().map_or(0, |m| m.2.matches.matched)}
                        on_keep={on_keep} on_forget={on_forget} />
                }
                if current.is_some() || file_open {
                    { sources_bar(&state, current.as_deref(), on_folder, on_forget_folder) }
                }
                if file_open {
                    { file_view(&state, &dispatch, current.as_deref()) }
                } else {
                if let Some(loaded) = current.clone() {
                    <Summary loaded={loaded} view={state.view.clone()}
                        on_target={to(&dispatch, Action::SetTarget)} on_precision={to(&dispatch, Action::SetPrecision)}
                        on_metric={to(&dispatch, Action::SetMetric)} />
                }
                if !state.reports.is_empty() || state.plan.is_some() {
                    <div class="tabs" role="tablist" aria-label="Views">
                        { for Tab::ALL.into_iter().map(|t| tab_button(&dispatch, state.view.tab, t)) }
                    </div>
                    <div role="tabpanel" id="panel" aria-labelledby={format!("tab-{}", state.view.tab.slug())}>
                    // The file table and (once opened) the tree stay in the page while other
                    // tabs are shown, hidden: switching back shows them as they were instead
                    // of building thousands of cells again. Their views name their own tab,
                    // so a tab switch alone does not re-render them.
                    if let Some(loaded) = current.clone() {
                        <FileTable loaded={loaded} view={View { tab: Tab::Files, ..state.view.clone() }}
                            hidden={state.view.tab != Tab::Files}
                            on_sort={to(&dispatch, Action::SortBy)} on_filter={to(&dispatch, Action::Filter)}
                            on_hide_covered={unit(|| Action::ToggleHideCovered)} on_hide_empty={unit(|| Action::ToggleHideEmpty)} on_open={on_open.clone()} />
                    }
                    if let Some(loaded) = current.clone().filter(|_| tree_seen) {
                        <TreeView loaded={loaded} view={View { tab: Tab::Tree, ..state.view.clone() }} expanded={state.expanded.clone()}
                            hidden={state.view.tab != Tab::Tree}
                            on_toggle={to(&dispatch, Action::ToggleDir)} on_expand_all={to(&dispatch, Action::ExpandAll)}
                            on_open={on_open.clone()}
                            on_effect={on_effect.clone()} />
                    }
                    { match (state.view.tab, current) {
                        (Tab::Files | Tab::Tree, Some(_)) => html! {},
                        (Tab::Compare, _) => html! {
                            <ComparePanel reports={state.reports.clone()} current={state.current}
                                plan_floor={state.plan.as_ref().and_then(|p| p.plan.floor)}
                                precision={state.view.target.precision} target={state.view.target.percent}
                                plan={state.plan.clone()} view={state.view.compare.clone()} ui={state.compare.clone()}
                                on_action={to(&dispatch, Action::Compare)} on_effect={on_effect.clone()} />
                        },
                        (Tab::Plan, loaded) => html! {
                            <PlanPanel loaded={loaded} plan={state.plan.clone()} can_undo={!state.plan_undo.is_empty()}
                                section={state.view.plan} ui={state.plan_ui.clone()} on_ui={to(&dispatch, Action::Plan)}
                                on_edit={to(&dispatch, Action::EditPlan)} on_replace={to(&dispatch, Action::PlanEdited)}
                                on_undo={unit(|| Action::PlanUndo)} on_effect={on_effect.clone()} on_saved={unit(|| Action::PlanSaved)} />
                        },
                        (_, None) => html! { <p class="note">{"Load a coverage report to see this view."}</p> },
                    } }
                    </div>
                }
                }
            </main>
            <footer class="footer">
                <p>{"covgap · each tool's own numbers, exactly · press "}<kbd>{"?"}</kbd>{" for keyboard shortcuts"}</p>
            </footer>
            <div class="visually-hidden" aria-live="polite" id="announcer">{ state.announcement.clone() }</div>
            if state.help_open {
                <Help on_close={unit(|| Action::ToggleHelp(false))}
                    on_key={Callback::from(|e: KeyboardEvent| crate::io::trap_tab(&e, "help-dialog"))} />
            }
        </div>
    }
}

/// The source files the loaded reports name, once each: (folder path, handle).
fn kept_sources(state: &AppState) -> Vec<(String, crate::sources::Handle)> {
    let s = &state.source.sources;
    if s.is_empty() {
        return Vec::new();
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for r in &state.reports {
        let m = s.match_report(&r.report);
        for i in 0..r.report.files.len() {
            if let (Some(h), Some(p)) = (s.handle_of(&m, i), s.path_of(&m, i)) {
                if seen.insert(h) {
                    out.push((p.to_string(), h));
                }
            }
        }
    }
    out
}

/// Where a listed (or failed) folder goes.
fn folder_added(d: &UseReducerDispatcher<AppState>) -> Callback<Result<SourceFolder, String>> {
    let d = d.clone();
    Callback::from(move |r: Result<SourceFolder, String>| {
        d.dispatch(Action::Source(match r {
            Ok(f) => SourceAction::FolderAdded(f),
            Err(e) => SourceAction::FolderFailed(e),
        }))
    })
}

/// The sources line for the current report.
fn sources_bar(
    state: &AppState,
    current: Option<&crate::state::Loaded>,
    on_pick: Callback<Event>,
    on_remove: Callback<u32>,
) -> Html {
    let matched = state.source.matched.as_ref().map(|m| m.2.clone());
    let unmatched: Vec<String> = match (&matched, current) {
        (Some(m), Some(r)) => m
            .unmatched(&r.report)
            .into_iter()
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    };
    html! {
        <SourcesBar folders={state.source.sources.folders.clone()} matched={matched}
            unmatched={Rc::new(unmatched)} message={state.source.message.clone()}
            on_pick={on_pick} on_remove={on_remove} />
    }
}

/// The file view (`#/file?path=…`), or why it cannot be shown yet.
fn file_view(
    state: &AppState,
    dispatch: &UseReducerDispatcher<AppState>,
    current: Option<&crate::state::Loaded>,
) -> Html {
    let back = {
        let d = dispatch.clone();
        Callback::from(move |_: ()| {
            let d = d.clone();
            crate::io::leave_file_view(move || d.dispatch(Action::Source(SourceAction::Close)));
        })
    };
    let (Some(open), Some(loaded)) = (&state.source.open, current) else {
        let path = state.view.file.clone().unwrap_or_default();
        let why = match current {
            None => format!(
                "This link opens {} of {}: load that report (and add its project's folder) to see it.",
                crate::fmt::path(&path),
                state.view.report.as_deref().unwrap_or("a report")
            ),
            Some(r) => format!(
                "{} has no file {}.",
                r.name,
                crate::fmt::path(&path)
            ),
        };
        let b = back.clone();
        return html! {
            <section class="sv" id="file-view">
                <header class="sv-head">
                    <button type="button" class="small" id="sv-back" onclick={Callback::from(move |_: MouseEvent| b.emit(()))}>{"← Back"}</button>
                </header>
                <p class="note" data-field="file-missing-note">{ why }</p>
            </section>
        };
    };
    let d = dispatch.clone();
    let on_select =
        Callback::from(move |n| d.dispatch(Action::Source(SourceAction::SelectLine(n))));
    let report = &loaded.report;
    html! {
        <FileView file={open.file.annotated.clone()} source={open.file.source.clone()}
            rules={report.rules()} metric={loaded.metric(&state.view)} metrics={report.metrics.clone()}
            precision={state.view.target.precision} selected={state.view.line}
            on_select={on_select} on_back={back}
            on_add_folder={Some(Callback::from(|_| crate::io::click("source-folder-input")))} />
    }
}

/// A callback that turns its value into an action.
fn to<T: 'static>(d: &UseReducerDispatcher<AppState>, f: fn(T) -> Action) -> Callback<T> {
    let d = d.clone();
    Callback::from(move |x| d.dispatch(f(x)))
}

fn tab_button(dispatch: &UseReducerDispatcher<AppState>, current: Tab, tab: Tab) -> Html {
    let label = tab.label();
    let d = dispatch.clone();
    let onclick = Callback::from(move |_: MouseEvent| d.dispatch(Action::SetTab(tab)));
    let selected = current == tab;
    // WAI-ARIA tabs: one tab stop (the selected tab); arrow keys, Home and End select and
    // focus another.
    let d = dispatch.clone();
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        let i = Tab::ALL.iter().position(|t| *t == tab).unwrap_or(0);
        if let Some(j) = crate::components::tab_key(&e.key(), i, Tab::ALL.len()) {
            e.prevent_default();
            let to = Tab::ALL[j];
            d.dispatch(Action::SetTab(to));
            crate::io::focus(&format!("tab-{}", to.slug()));
        }
    });
    html! {
        <button type="button" role="tab" aria-selected={selected.to_string()} aria-controls="panel"
            tabindex={if selected { "0" } else { "-1" }}
            id={format!("tab-{}", tab.slug())} onclick={onclick} onkeydown={onkeydown}>{ label }</button>
    }
}

/// Props of [`PasteBox`].
#[derive(Properties, PartialEq)]
pub struct PasteBoxProps {
    /// Where loads go.
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// A text area to paste a report into.
#[component]
pub fn PasteBox(p: &PasteBoxProps) -> Html {
    let text = use_node_ref();
    let load = {
        let text = text.clone();
        let d = p.dispatch.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            load_pasted(&d, &text);
        })
    };
    let d = p.dispatch.clone();
    let close = Callback::from(move |_: MouseEvent| d.dispatch(Action::TogglePaste(false)));
    html! {
        <form class="paste" onsubmit={load}>
            <label for="paste-text">{"Paste a coverage report (JSON, LCOV, XML or a Go profile)"}</label>
            <textarea id="paste-text" ref={text} rows="6" spellcheck="false"
                placeholder="{\"meta\": …}   or   SF:src/a.js …   or   <coverage …>   or   mode: set …" />
            <div class="row">
                <button type="submit" class="primary">{"Load pasted report"}</button>
                <button type="button" onclick={close}>{"Close"}</button>
            </div>
        </form>
    }
}

// ---- browser wiring (no-ops natively) ---------------------------------------------------

/// Browser wiring as hooks: start-up (preferences, URL, kept files), keys, hash changes,
/// and the view written back to the URL.
#[cfg(target_arch = "wasm32")]
#[hook]
fn use_browser_effects(
    state: &UseReducerHandle<AppState>,
    dispatch: &UseReducerDispatcher<AppState>,
) {
    use crate::io;
    // The key listener is made once: it reads whether a file view is open from here.
    let in_file = use_mut_ref(|| false);
    *in_file.borrow_mut() = state.view.file.is_some();
    // A big coverage.py report is read again with its functions and classes once one of
    // its files is opened (it was loaded without them).
    {
        let d = dispatch.clone();
        use_effect_with(state.source.regions_wanted.clone(), move |w| {
            if let Some((report, name)) = w.clone() {
                io::read_regions(
                    report,
                    name,
                    Callback::from(move |result| {
                        d.dispatch(Action::Source(SourceAction::Regions { report, result }))
                    }),
                );
            }
        });
    }
    // The open file's source is read when it is asked for (once per open).
    {
        let d = dispatch.clone();
        use_effect_with(state.source.read.clone(), move |r| {
            if let Some(r) = r.clone() {
                let seq = r.seq;
                io::sources::read_source(
                    r.handle,
                    Callback::from(move |result| {
                        d.dispatch(Action::Source(SourceAction::Read { seq, result }))
                    }),
                );
            }
        });
    }
    // Start from saved preferences and the URL's view; load the demo if the link asks.
    {
        let d = dispatch.clone();
        use_effect_with((), move |_| {
            d.dispatch(Action::SetLocale(io::locale()));
            let hash = io::hash();
            d.dispatch(Action::RestoreView(View::from_hash(
                &hash,
                &io::load_prefs(),
            )));
            // The first file dropped should not wait for the parsing worker to start.
            io::worker::prewarm();
            if hash.contains("demo=1") {
                load_demo(&d);
            }
            io::restore(d.clone());
            let d2 = d.clone();
            let on_hash =
                gloo::events::EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
                    d2.dispatch(Action::RestoreView(View::from_hash(
                        &io::hash(),
                        &io::load_prefs(),
                    )));
                });
            let d3 = d.clone();
            let in_file = in_file.clone();
            // Not passive: shortcuts call preventDefault so "/" does not also type a slash.
            let on_key = gloo::events::EventListener::new_with_options(
                &gloo::utils::document(),
                "keydown",
                gloo::events::EventListenerOptions::enable_prevent_default(),
                move |e| {
                    use wasm_bindgen::JsCast;
                    if let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() {
                        if let Some(a) = key_action(e, *in_file.borrow()) {
                            e.prevent_default();
                            match a {
                                KeyAction::Do(a) => d3.dispatch(a),
                                KeyAction::Focus(id) => io::focus(id),
                                KeyAction::Open => io::click("file-input"),
                                KeyAction::Demo => load_demo(&d3),
                                KeyAction::Back => {
                                    let d = d3.clone();
                                    io::leave_file_view(move || {
                                        d.dispatch(Action::Source(SourceAction::Close))
                                    });
                                }
                            }
                        }
                    }
                },
            );
            move || {
                drop(on_hash);
                drop(on_key);
            }
        });
    }
    // The help dialog takes the focus when it opens and gives it back to its opener when it
    // closes (Escape, its Close button).
    use_effect_with(state.help_open, |open| {
        if *open {
            io::remember_focus();
            io::focus("help-close");
        } else {
            io::restore_focus();
        }
    });
    // An edited plan that is in no file and not kept: leaving the page asks first.
    use_effect_with(state.plan_dirty(), |dirty| io::warn_before_leaving(*dirty));
    // A kept session follows the plan's edits: the kept plan is replaced by the new one.
    {
        let plan = state.plan.clone().filter(|_| state.needs_rekeep());
        let key = plan.as_ref().map(|p| Rc::as_ptr(p) as usize);
        let d = dispatch.clone();
        use_effect_with(key, move |_| {
            if let Some(p) = plan {
                let json = covgap_core::export::plan::plan_json(&p.plan);
                let kept = p.clone();
                io::keep_plan(
                    p.name.clone(),
                    json,
                    Callback::from(move |result| {
                        d.dispatch(Action::PlanKept {
                            plan: kept.clone(),
                            result,
                        })
                    }),
                );
            }
        });
    }
    // The view goes into the URL, its preference part into storage.
    let view = state.view.clone();
    use_effect_with(view, |v| {
        let mut hash = v.to_hash();
        // A link to the demo's view reloads the demo, so it can be shared as is.
        if v.report.as_deref() == Some(DEMO_NAME) {
            hash.push_str(if hash.contains('?') {
                "&demo=1"
            } else {
                "?demo=1"
            });
        }
        io::set_hash(&hash);
        io::save_prefs(v);
    });
}

#[cfg(not(target_arch = "wasm32"))]
#[hook]
fn use_browser_effects(
    _state: &UseReducerHandle<AppState>,
    _dispatch: &UseReducerDispatcher<AppState>,
) {
}

/// What a key press does.
#[cfg(target_arch = "wasm32")]
enum KeyAction {
    Do(Action),
    Focus(&'static str),
    Open,
    Demo,
    Back,
}

#[cfg(target_arch = "wasm32")]
fn key_action(e: &web_sys::KeyboardEvent, in_file: bool) -> Option<KeyAction> {
    use crate::state::Sort;
    use covgap_core::analysis::SortKey;
    use wasm_bindgen::JsCast;
    if e.ctrl_key() || e.meta_key() || e.alt_key() {
        return None;
    }
    // Keys typed into a field belong to the field.
    let typing = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || el.has_attribute("contenteditable")
        });
    let key = e.key();
    if typing {
        return None;
    }
    // The file view's keys; the list's own shortcuts would act unseen behind it.
    if in_file {
        use crate::sources::FileKey;
        return match crate::sources::file_key(&key, false) {
            Some(FileKey::Back) => Some(KeyAction::Back),
            Some(k) => Some(KeyAction::Do(Action::Source(SourceAction::Key(k)))),
            None => match key.as_str() {
                "o" => Some(KeyAction::Open),
                "?" => Some(KeyAction::Do(Action::ToggleHelp(true))),
                "Escape" => Some(KeyAction::Do(Action::CloseOverlays)),
                _ => None,
            },
        };
    }
    let sort = |k| Some(KeyAction::Do(Action::SortBy(Sort::By(k))));
    match key.as_str() {
        "n" => sort(SortKey::Name),
        "s" => sort(SortKey::Statements),
        "m" => sort(SortKey::Missing),
        "x" => sort(SortKey::Excluded),
        "b" => sort(SortKey::Branches),
        "p" => sort(SortKey::Partial),
        "c" => sort(SortKey::Cover),
        "g" => Some(KeyAction::Do(Action::SortBy(Sort::Gap))),
        "e" => Some(KeyAction::Do(Action::SortBy(Sort::Needed))),
        "t" => Some(KeyAction::Do(Action::FlipTab)),
        "/" => Some(KeyAction::Focus("filter")),
        "o" => Some(KeyAction::Open),
        "d" => Some(KeyAction::Demo),
        "?" => Some(KeyAction::Do(Action::ToggleHelp(true))),
        "Escape" => Some(KeyAction::Do(Action::CloseOverlays)),
        _ => None,
    }
}

#[cfg(target_arch = "wasm32")]
fn load_dropped(dispatch: &UseReducerDispatcher<AppState>, e: DragEvent) {
    // A folder dropped is a source folder (listed, nothing read); files dropped with it
    // are reports.
    if let Some(loose) = crate::io::sources::folders_from_drop(&e, folder_added(dispatch)) {
        if !loose.is_empty() {
            let files = loose
                .into_iter()
                .map(|f| (f.name(), crate::io::Source::File(f)))
                .collect();
            crate::io::load_all(dispatch.clone(), files);
        }
        return;
    }
    let files = e.data_transfer().and_then(|dt| dt.files());
    crate::io::load_all(dispatch.clone(), crate::io::files_of(files));
}

#[cfg(target_arch = "wasm32")]
fn load_picked(dispatch: &UseReducerDispatcher<AppState>, e: Event) {
    let input: web_sys::HtmlInputElement = e.target_unchecked_into();
    crate::io::load_all(dispatch.clone(), crate::io::files_of(input.files()));
    // Picking the same file again must fire `change` again.
    input.set_value("");
}

#[cfg(target_arch = "wasm32")]
fn load_demo(dispatch: &UseReducerDispatcher<AppState>) {
    crate::io::load_all(
        dispatch.clone(),
        vec![(
            DEMO_NAME.to_string(),
            crate::io::Source::Url(DEMO_URL.to_string()),
        )],
    );
}

#[cfg(target_arch = "wasm32")]
fn load_pasted(dispatch: &UseReducerDispatcher<AppState>, text: &NodeRef) {
    if let Some(area) = text.cast::<web_sys::HtmlTextAreaElement>() {
        let value = area.value();
        let n = dispatch_count();
        crate::io::load_all(
            dispatch.clone(),
            vec![(format!("pasted report {n}"), crate::io::Source::Text(value))],
        );
        area.set_value("");
    }
}

#[cfg(target_arch = "wasm32")]
fn dispatch_count() -> u32 {
    use std::cell::Cell;
    thread_local!(static N: Cell<u32> = const { Cell::new(0) });
    N.with(|n| {
        n.set(n.get() + 1);
        n.get()
    })
}

#[cfg(not(target_arch = "wasm32"))]
fn load_dropped(_: &UseReducerDispatcher<AppState>, _: DragEvent) {}
#[cfg(not(target_arch = "wasm32"))]
fn load_picked(_: &UseReducerDispatcher<AppState>, _: Event) {}
#[cfg(not(target_arch = "wasm32"))]
fn load_demo(_: &UseReducerDispatcher<AppState>) {}
#[cfg(not(target_arch = "wasm32"))]
fn load_pasted(_: &UseReducerDispatcher<AppState>, _: &NodeRef) {}
