//! When a process serving the emulator should stop.

/// Completes on SIGINT (Ctrl-C) or SIGTERM (`kill`, service managers, CI runners), for
/// [`RunningEmulator::run_until`](crate::RunningEmulator::run_until): both stop the
/// emulator gracefully, so its temporary directory is removed.
pub async fn stop_requested() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM; stop with Ctrl-C");
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
