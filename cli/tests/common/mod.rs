//! Shared by the CLI tests: run the built `covgap` binary.

use std::process::Command;

/// Runs `covgap ARGS…`: (exit code, stdout, stderr).
pub fn covgap(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_covgap"))
        .args(args)
        .output()
        .expect("run covgap");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
