//! `pinion files upload` survives a killed process (issue 17): the built binary is
//! killed with SIGKILL in the middle of a TUS upload, and the same command run again
//! resumes where the service stands, lands exactly one file with the local CID, and
//! removes its journal entry. `--restart`, a file changed between the runs, a corrupt
//! journal entry and `--local` too. The upload URL in the journal is a secret: no
//! output of any run shows it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use pinion_emulator::{Emulator, Faults, RunningEmulator};
use serde_json::Value;

mod common;
use common::Env;

const MIB: usize = 1 << 20;

/// A 64 MiB file whose bytes are not all alike.
fn big_file(env: &Env) -> PathBuf {
    file_of(env, 64 * MIB)
}

/// A file of `len` bytes whose 4 KiB blocks all differ.
fn file_of(env: &Env, len: usize) -> PathBuf {
    let mut data = vec![0u8; len];
    for (i, chunk) in data.chunks_mut(4096).enumerate() {
        chunk.fill((i % 251) as u8);
        chunk[..8].copy_from_slice(&(i as u64).to_le_bytes());
    }
    let path = env.path().join("big.bin");
    std::fs::write(&path, data).unwrap();
    path
}

/// An emulator keeping its state (and so the partial files of TUS uploads) in
/// `state`, answering each request 300 ms late so that an 8 MiB-chunked upload of
/// 64 MiB takes a few seconds.
async fn slow_emulator(state: &Path) -> RunningEmulator {
    let faults = Faults {
        latency: Duration::from_millis(300),
        ..Faults::default()
    };
    Emulator::builder()
        .state_dir(state)
        .faults(faults)
        .start()
        .await
        .unwrap()
}

/// The binary pointed at `emulator` with its admin JWT.
fn served(env: &Env, emulator: &RunningEmulator) -> Command {
    let credentials = emulator.credentials();
    let mut command = env.command();
    command
        .env("PINATA_JWT", &credentials.pinata.jwt)
        .env("PINATA_BASE_URL", &credentials.pinata.base_url);
    command
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn json_of(output: &Output) -> Value {
    assert!(output.status.success(), "failed:\n{}", text(output));
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(output)))
}

/// Every file under `dir` whose name ends with `suffix`.
fn files_under(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path, suffix));
        } else if path.to_string_lossy().ends_with(suffix) {
            found.push(path);
        }
    }
    found
}

/// The journal entries of `env`'s data directory.
fn journal_entries(env: &Env) -> Vec<PathBuf> {
    files_under(&env.path().join("data/pinion/uploads"), ".json")
}

/// Bytes the service holds of unfinished TUS uploads (their partial files).
fn partial_bytes(state: &Path) -> u64 {
    files_under(state, ".part")
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum()
}

/// Waits until the journal entry exists and the service holds some bytes of the
/// upload, then kills `child` with SIGKILL; returns the entry.
fn kill_mid_upload(env: &Env, state: &Path, child: Child) -> PathBuf {
    kill_after(env, state, child, 0)
}

/// Waits until the journal entry exists and the service holds more than `held`
/// bytes of the upload, then kills `child` with SIGKILL; returns the entry.
fn kill_after(env: &Env, state: &Path, mut child: Child, held: u64) -> PathBuf {
    let start = Instant::now();
    loop {
        let entries = journal_entries(env);
        if entries.len() == 1 && partial_bytes(state) > held {
            child.kill().unwrap();
            let status = child.wait().unwrap();
            assert!(!status.success(), "the upload ended before it was killed");
            return entries.into_iter().next().unwrap();
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the upload ended ({status}) before it could be killed");
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no journal entry and no bytes at the service after 2 minutes"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The upload URL in a journal entry's resume handle (every `http…` string in it),
/// and the URL's last path segment (its token): what no output may show.
fn secrets_of(entry: &Path) -> Vec<String> {
    fn strings(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::String(text) => {
                if let Ok(inner) = serde_json::from_str::<Value>(text)
                    && !inner.is_string()
                {
                    strings(&inner, out);
                    return;
                }
                if text.starts_with("http") {
                    out.push(text.clone());
                    if let Some(token) = text.rsplit('/').next().filter(|t| t.len() >= 8) {
                        out.push(token.to_owned());
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
            Value::Object(map) => map.values().for_each(|v| strings(v, out)),
            _ => {}
        }
    }
    let entry: Value = serde_json::from_slice(&std::fs::read(entry).unwrap()).unwrap();
    let mut out = Vec::new();
    strings(&entry["handle"], &mut out);
    assert!(!out.is_empty(), "no upload URL in the journal entry");
    out
}

fn assert_no_secret(secrets: &[String], output: &Output) {
    let shown = text(output);
    for secret in secrets {
        assert!(
            !shown.contains(secret.as_str()),
            "output shows a secret:\n{shown}"
        );
    }
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The files the service lists with `cid`.
fn listed(mut command: Command, cid: &str) -> Vec<Value> {
    let output = command
        .args(["--json", "files", "list", "--cid", cid])
        .output()
        .unwrap();
    match json_of(&output) {
        Value::Array(rows) => rows,
        other => panic!("not a list: {other}"),
    }
}

/// Every file the service lists.
fn listed_all(mut command: Command) -> Vec<Value> {
    let output = command
        .args(["--json", "files", "list", "--all"])
        .output()
        .unwrap();
    match json_of(&output) {
        Value::Array(rows) => rows,
        other => panic!("not a list: {other}"),
    }
}

/// The CID `pinion cid` computes locally.
fn local_cid(env: &Env, file: &Path) -> String {
    let out = env.ok(&["cid", "--cid-version", "1", file.to_str().unwrap()]);
    common::last_line(&out).to_owned()
}

const UPLOAD: &[&str] = &["--json", "files", "upload", "--resumable"];

/// `files upload --json --resumable --chunk-size 8MiB FILE`, plus `extra`.
fn upload_command(mut command: Command, file: &Path, extra: &[&str]) -> Command {
    command
        .args(UPLOAD)
        .args(["--chunk-size", "8MiB"])
        .args(extra)
        .arg(file);
    command
}

fn spawn(mut command: Command) -> Child {
    command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_upload_resumes_where_the_service_stands_and_lands_once() {
    let env = Env::new();
    let state = env.path().join("state");
    let emulator = slow_emulator(&state).await;
    let file = big_file(&env);
    let size = std::fs::metadata(&file).unwrap().len();

    let killed = {
        let child = spawn(upload_command(served(&env, &emulator), &file, &[]));
        tokio::task::block_in_place(|| kill_mid_upload(&env, &state, child))
    };
    #[cfg(unix)]
    {
        assert_eq!(mode(&killed), 0o600, "the journal entry holds a secret");
        assert_eq!(mode(killed.parent().unwrap()), 0o700);
    }
    let secrets = secrets_of(&killed);

    let rerun = upload_command(served(&env, &emulator), &file, &[])
        .output()
        .unwrap();
    assert_no_secret(&secrets, &rerun);
    let uploaded = json_of(&rerun);
    let resumed_from = uploaded["resumed_from"].as_u64().unwrap();
    let bytes_sent = uploaded["bytes_sent"].as_u64().unwrap();
    assert!(resumed_from > 0, "{uploaded}");
    assert_eq!(bytes_sent, size - resumed_from, "{uploaded}");
    // Nothing the service held was sent again: it read each byte of the file once.
    assert_eq!(emulator.tus_received().bytes_received, size);
    let cid = local_cid(&env, &file);
    assert_eq!(uploaded["cid"], cid.as_str());
    assert_eq!(listed(served(&env, &emulator), &cid).len(), 1);
    assert_eq!(
        listed_all(served(&env, &emulator)).len(),
        1,
        "one file in all"
    );
    assert!(
        journal_entries(&env).is_empty(),
        "the entry stays after completion"
    );

    // The human form says where it resumed.
    let again = {
        let child = spawn(upload_command(
            served(&env, &emulator),
            &file,
            &["--name", "again"],
        ));
        tokio::task::block_in_place(|| kill_mid_upload(&env, &state, child))
    };
    let secrets = secrets_of(&again);
    let mut human = served(&env, &emulator);
    human
        .args(["files", "upload", "--resumable", "--chunk-size", "8MiB"])
        .args(["--name", "again"])
        .arg(&file);
    let human = human.output().unwrap();
    assert!(human.status.success(), "{}", text(&human));
    assert_no_secret(&secrets, &human);
    let shown = String::from_utf8_lossy(&human.stdout);
    assert!(shown.contains("resumed at "), "{shown}");
    assert!(shown.contains(&format!(" of {size}")), "{shown}");
    assert_eq!(common::last_line(&shown), cid);
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn restart_forgets_the_interrupted_upload_and_sends_everything() {
    let env = Env::new();
    let state = env.path().join("state");
    let emulator = slow_emulator(&state).await;
    let file = big_file(&env);
    let size = std::fs::metadata(&file).unwrap().len();
    let child = spawn(upload_command(served(&env, &emulator), &file, &[]));
    let killed = tokio::task::block_in_place(|| kill_mid_upload(&env, &state, child));
    let secrets = secrets_of(&killed);

    let rerun = upload_command(served(&env, &emulator), &file, &["--restart"])
        .output()
        .unwrap();
    assert_no_secret(&secrets, &rerun);
    let uploaded = json_of(&rerun);
    assert_eq!(uploaded["resumed_from"], 0, "{uploaded}");
    assert_eq!(uploaded["bytes_sent"], size, "{uploaded}");
    let said = String::from_utf8_lossy(&rerun.stderr);
    assert!(said.contains("forgot the interrupted upload"), "{said}");
    assert!(journal_entries(&env).is_empty());
    let cid = local_cid(&env, &file);
    assert_eq!(listed(served(&env, &emulator), &cid).len(), 1);
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_changed_after_the_kill_is_refused_until_restart() {
    let env = Env::new();
    let state = env.path().join("state");
    let emulator = slow_emulator(&state).await;
    let file = big_file(&env);
    let child = spawn(upload_command(served(&env, &emulator), &file, &[]));
    let killed = tokio::task::block_in_place(|| kill_mid_upload(&env, &state, child));
    let secrets = secrets_of(&killed);

    // Same size, other bytes, later modification time.
    let mut data = std::fs::read(&file).unwrap();
    data[0] ^= 0xff;
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(&file, &data).unwrap();

    let refused = upload_command(served(&env, &emulator), &file, &[])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert_no_secret(&secrets, &refused);
    let said = text(&refused);
    assert!(said.contains("changed since"), "{said}");
    assert!(said.contains("--restart"), "{said}");
    let cid = local_cid(&env, &file);
    assert!(listed(served(&env, &emulator), &cid).is_empty());
    assert_eq!(journal_entries(&env), vec![killed], "the entry is kept");

    let restarted = upload_command(served(&env, &emulator), &file, &["--restart"])
        .output()
        .unwrap();
    assert_eq!(json_of(&restarted)["cid"], cid.as_str());
    assert_eq!(listed(served(&env, &emulator), &cid).len(), 1);
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_corrupt_journal_entry_is_reported_and_the_upload_starts_afresh() {
    let env = Env::new();
    let state = env.path().join("state");
    let emulator = slow_emulator(&state).await;
    let file = big_file(&env);
    let size = std::fs::metadata(&file).unwrap().len();
    let child = spawn(upload_command(served(&env, &emulator), &file, &[]));
    let killed = tokio::task::block_in_place(|| kill_mid_upload(&env, &state, child));
    let mut secrets = secrets_of(&killed);
    let garbage = r#"{"format":1,"file":"SECRET-IN-GARBAGE","handle":7}"#;
    std::fs::write(&killed, garbage).unwrap();
    secrets.push("SECRET-IN-GARBAGE".to_owned());

    let rerun = upload_command(served(&env, &emulator), &file, &[])
        .output()
        .unwrap();
    assert_no_secret(&secrets, &rerun);
    let uploaded = json_of(&rerun);
    assert_eq!(uploaded["resumed_from"], 0, "{uploaded}");
    assert_eq!(uploaded["bytes_sent"], size, "{uploaded}");
    let said = String::from_utf8_lossy(&rerun.stderr);
    assert!(said.contains("cannot be used"), "{said}");
    assert!(said.contains("starting over"), "{said}");
    assert!(journal_entries(&env).is_empty());
    emulator.shutdown().await;
}

/// With `--local` the service dies with the command: only the chunks it recorded
/// count (bytes of a chunk cut short are dropped), so the kill waits until the
/// service holds more than one chunk, which it only does once the first was
/// recorded and the next begun.
#[test]
fn local_uploads_resume_across_killed_processes() {
    let env = Env::new();
    let file = file_of(&env, 16 * MIB);
    let state = env.path().join("data/pinion/local");
    let local_upload = || {
        let mut command = env.command();
        command
            .arg("--local")
            .args(UPLOAD)
            .args(["--chunk-size", "1MiB"])
            .arg(&file);
        command
    };
    let child = spawn(local_upload());
    let killed = kill_after(&env, &state, child, MIB as u64);
    let secrets = secrets_of(&killed);

    let rerun = local_upload().output().unwrap();
    assert_no_secret(&secrets, &rerun);
    let uploaded = json_of(&rerun);
    assert!(uploaded["resumed_from"].as_u64().unwrap() > 0, "{uploaded}");
    let cid = local_cid(&env, &file);
    assert_eq!(uploaded["cid"], cid.as_str());
    let mut list = env.command();
    list.arg("--local");
    assert_eq!(listed(list, &cid).len(), 1);
    assert!(journal_entries(&env).is_empty());
}

/// The port `--local` remembered is taken by another program when the command is
/// run again: the emulator listens elsewhere, so the interrupted upload's URL would
/// reach that program. It is not sent there: the entry is reported unusable and the
/// upload starts afresh, landing one file.
#[test]
fn a_local_upload_whose_port_was_taken_starts_afresh_without_calling_it() {
    let env = Env::new();
    let file = file_of(&env, 16 * MIB);
    let state = env.path().join("data/pinion/local");
    let local_upload = || {
        let mut command = env.command();
        command
            .arg("--local")
            .args(UPLOAD)
            .args(["--chunk-size", "1MiB"])
            .arg(&file);
        command
    };
    let child = spawn(local_upload());
    let killed = kill_after(&env, &state, child, MIB as u64);
    let secrets = secrets_of(&killed);
    let port = std::fs::read_to_string(env.path().join("data/pinion/local-port")).unwrap();
    let squatter = std::net::TcpListener::bind(("127.0.0.1", port.trim().parse().unwrap()))
        .expect("the killed emulator's port is free again");
    squatter.set_nonblocking(true).unwrap();

    let rerun = local_upload().output().unwrap();
    assert_no_secret(&secrets, &rerun);
    let uploaded = json_of(&rerun);
    assert_eq!(uploaded["resumed_from"], 0, "{uploaded}");
    let said = String::from_utf8_lossy(&rerun.stderr);
    assert!(said.contains("cannot be used"), "{said}");
    assert!(
        squatter.accept().is_err(),
        "the program on the old port was called"
    );
    let cid = local_cid(&env, &file);
    let mut list = env.command();
    list.arg("--local");
    assert_eq!(listed(list, &cid).len(), 1);
    assert!(journal_entries(&env).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_resume_keeps_the_entry_and_never_shows_the_upload_url() {
    let env = Env::new();
    let state = env.path().join("state");
    let emulator = slow_emulator(&state).await;
    let file = big_file(&env);
    let child = spawn(upload_command(served(&env, &emulator), &file, &[]));
    let killed = tokio::task::block_in_place(|| kill_mid_upload(&env, &state, child));
    let secrets = secrets_of(&killed);
    let command = served(&env, &emulator);
    emulator.shutdown().await;

    // The service is gone: the resume fails, names no URL, and says what to do.
    let mut command = upload_command(command, &file, &[]);
    let failed = tokio::task::block_in_place(|| command.output().unwrap());
    assert!(!failed.status.success());
    assert_no_secret(&secrets, &failed);
    let said = text(&failed);
    assert!(said.contains("run the same command again"), "{said}");
    assert_eq!(journal_entries(&env), vec![killed], "the entry is kept");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_run_of_an_upload_in_progress_is_refused() {
    let env = Env::new();
    let state = env.path().join("state");
    let emulator = slow_emulator(&state).await;
    let file = big_file(&env);
    let first = spawn(upload_command(served(&env, &emulator), &file, &[]));
    let start = Instant::now();
    while journal_entries(&env).is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no journal entry"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut second = upload_command(served(&env, &emulator), &file, &[]);
    let second = tokio::task::block_in_place(|| second.output().unwrap());
    assert!(!second.status.success());
    let said = text(&second);
    assert!(said.contains("another `pinion files upload`"), "{said}");

    let first = tokio::task::block_in_place(|| first.wait_with_output().unwrap());
    let uploaded = json_of(&first);
    let cid = local_cid(&env, &file);
    assert_eq!(uploaded["cid"], cid.as_str());
    assert_eq!(listed(served(&env, &emulator), &cid).len(), 1);
    assert!(
        std::fs::read_dir(env.path().join("data/pinion/uploads"))
            .unwrap()
            .next()
            .is_none(),
        "neither the entry nor its lock file stays"
    );
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn only_resumable_uploads_need_a_writable_data_directory() {
    let env = Env::new();
    let emulator = Emulator::builder().start().await.unwrap();
    let small = env.file("small.txt", b"small and multipart");
    // The data directory cannot be created: a file is in the way.
    let blocked = env.file("not-a-directory", b"");
    let upload = |extra: &[&str]| {
        let mut command = served(&env, &emulator);
        command
            .env("XDG_DATA_HOME", &blocked)
            .args(["--json", "files", "upload"])
            .args(extra)
            .arg(&small);
        command
    };
    let mut plain = upload(&[]);
    let plain = tokio::task::block_in_place(|| plain.output().unwrap());
    assert_eq!(json_of(&plain)["resumed_from"], 0);

    // A chunk size out of bounds is refused even where no TUS request would be made.
    let mut tiny = upload(&["--chunk-size", "1KiB"]);
    let tiny = tokio::task::block_in_place(|| tiny.output().unwrap());
    assert!(!tiny.status.success());
    assert_eq!(tiny.status.code(), Some(2), "a usage error");
    assert!(text(&tiny).contains("--chunk-size"), "{}", text(&tiny));

    let mut resumable = upload(&["--resumable"]);
    let resumable = tokio::task::block_in_place(|| resumable.output().unwrap());
    assert!(!resumable.status.success());
    let said = text(&resumable);
    assert!(
        said.contains("resumable uploads keep their journal there"),
        "{said}"
    );
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_changed_during_the_upload_stops_it_with_advice_to_restart() {
    let env = Env::new();
    let state = env.path().join("state");
    let emulator = slow_emulator(&state).await;
    let file = big_file(&env);
    let child = spawn(upload_command(served(&env, &emulator), &file, &[]));
    let start = Instant::now();
    while journal_entries(&env).is_empty() || partial_bytes(&state) == 0 {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no upload began"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    std::fs::OpenOptions::new()
        .append(true)
        .open(&file)
        .unwrap()
        .write_all(b"appended while uploading")
        .unwrap();
    let stopped = tokio::task::block_in_place(|| child.wait_with_output().unwrap());
    assert!(!stopped.status.success(), "{}", text(&stopped));
    let said = text(&stopped);
    assert!(said.contains("changed"), "{said}");
    assert!(said.contains("--restart"), "{said}");
    assert!(!said.contains("run the same command again"), "{said}");

    let refused = upload_command(served(&env, &emulator), &file, &[])
        .output()
        .unwrap();
    assert!(
        text(&refused).contains("rerun with --restart"),
        "{}",
        text(&refused)
    );
    let restarted = upload_command(served(&env, &emulator), &file, &["--restart"])
        .output()
        .unwrap();
    let cid = local_cid(&env, &file);
    assert_eq!(json_of(&restarted)["cid"], cid.as_str());
    emulator.shutdown().await;
}
