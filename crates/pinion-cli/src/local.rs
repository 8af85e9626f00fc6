//! `--local`: an emulator embedded in the command, with its state in the user's data
//! directory and admin credentials provisioned on first use.
//!
//! It listens on the port it had last time when that port is free (remembered in
//! `<data_dir>/local-port`): a TUS upload's URL names the port, so an upload a killed
//! `pinion --local files upload` left behind can only be resumed at the same address.

use std::path::PathBuf;

use anyhow::{Context, Result};
use pinion_emulator::{AdminCredentials, Emulator, RunningEmulator};

use crate::config::Paths;

/// Where the `--local` emulator keeps its state.
pub fn state_dir(paths: &Paths) -> PathBuf {
    paths.data_dir.join("local")
}

/// Where the port of the last `--local` emulator is remembered.
fn port_file(paths: &Paths) -> PathBuf {
    paths.data_dir.join("local-port")
}

/// The port remembered, if any and readable.
fn remembered_port(paths: &Paths) -> Option<u16> {
    let text = std::fs::read_to_string(port_file(paths)).ok()?;
    text.trim().parse().ok().filter(|port| *port != 0)
}

/// Starts the embedded emulator on its remembered port when free, else on a free
/// loopback port (remembered for next time).
pub async fn start(paths: &Paths) -> Result<(RunningEmulator, AdminCredentials)> {
    let dir = state_dir(paths);
    let builder = Emulator::builder().state_dir(&dir);
    let remembered = remembered_port(paths);
    let mut started = None;
    if let Some(port) = remembered {
        // Taken by another program: any free port will do (an interrupted upload
        // then starts afresh, saying so: its URL names the old port).
        started = builder.clone().port(port).start().await.ok();
    }
    let emulator = match started {
        Some(emulator) => emulator,
        None => builder.port(0).start().await.with_context(|| {
            format!(
                "starting the local emulator (state in {}; only one `pinion --local` command or \
                 `pinion emulator` can use it at a time: wait for the other one or stop it)",
                dir.display()
            )
        })?,
    };
    let port = emulator.addr().port();
    if remembered != Some(port) {
        // Best effort: without it the next run picks another port, which only
        // matters to an interrupted upload.
        let _ = std::fs::write(port_file(paths), port.to_string());
    }
    let credentials = emulator.credentials().clone();
    Ok((emulator, credentials))
}
