//! `--local`: an emulator embedded in the command, with its state in the user's data
//! directory and admin credentials provisioned on first use.

use std::path::PathBuf;

use anyhow::{Context, Result};
use pinion_emulator::{AdminCredentials, Emulator, RunningEmulator};

use crate::config::Paths;

/// Where the `--local` emulator keeps its state.
pub fn state_dir(paths: &Paths) -> PathBuf {
    paths.data_dir.join("local")
}

/// Starts the embedded emulator on a free loopback port.
pub async fn start(paths: &Paths) -> Result<(RunningEmulator, AdminCredentials)> {
    let dir = state_dir(paths);
    let emulator = Emulator::builder()
        .state_dir(&dir)
        .start()
        .await
        .with_context(|| {
            format!(
                "starting the local emulator (state in {}; only one `pinion --local` command or \
                 `pinion emulator` can use it at a time: wait for the other one or stop it)",
                dir.display()
            )
        })?;
    let credentials = emulator.credentials().clone();
    Ok((emulator, credentials))
}
