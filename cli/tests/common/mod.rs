//! Shared by the CLI tests: run the built `covgap` binary.

use std::process::Command;

/// Runs `covgap ARGS…`: (exit code, stdout, stderr). `GITHUB_STEP_SUMMARY` is removed from
/// its environment, so a test run inside GitHub Actions never writes the real summary.
pub fn covgap(args: &[&str]) -> (i32, String, String) {
    covgap_env(args, &[])
}

/// [`covgap`] with these environment variables set.
#[allow(dead_code)] // not every test file sets any
pub fn covgap_env(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_covgap"))
        .args(args)
        .env_remove("GITHUB_STEP_SUMMARY")
        .envs(env.iter().copied())
        .output()
        .expect("run covgap");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
