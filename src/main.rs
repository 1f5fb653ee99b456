//! Entry point of the web app: mounts [`covgap_app::App`] on the page body.

fn main() {
    covgap_app::io::install_panic_hook();
    yew::Renderer::<covgap_app::App>::new().render();
}
