//! `cargo xtask drift`: refreshing from an upstream file with a renamed field makes the check
//! fail and name the field; the committed facts and allow-list explain every difference.

use std::path::Path;
use std::process::Command;

use xtask::drift;
use xtask::specs::repo_root;

/// A small spec of ours: one operation with a JSON body and a wrapped answer.
const OURS: &str = r#"
openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /files/sign:
    post:
      operationId: createSignedUploadUrl
      summary: Sign
      parameters:
        - { name: limit, in: query, schema: { type: integer } }
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                date: { type: integer }
                expires: { type: integer }
                max_file_size: { type: integer }
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: { type: string }
"#;

/// Writes `upstream` as the upstream file our small spec follows, refreshes from it and
/// runs the check through the `xtask` binary; returns (success, stdout).
fn refresh_and_check(root: &Path, upstream: &str) -> (bool, String) {
    let dir = root.join("upstream");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("pinata-api-v3-uploads.yaml");
    std::fs::write(&file, upstream).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--root")
        .arg(root)
        .args(["drift", "--refresh"])
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.is_empty(), "{stderr}");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn a_renamed_upstream_field_fails_the_check_and_is_named() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path();
    std::fs::create_dir_all(root.join("spec")).unwrap();
    std::fs::write(root.join("spec/pinata-v3-uploads.yaml"), OURS).unwrap();
    std::fs::write(root.join("spec/drift-allow.yaml"), "[]\n").unwrap();

    // Upstream as ours (3.0.0, another path-parameter style does not matter): clean.
    let same = OURS.replace("openapi: 3.0.3", "openapi: 3.0.0");
    let (ok, out) = refresh_and_check(root, &same);
    assert!(ok, "{out}");
    assert!(out.contains("0 difference(s)"), "{out}");
    let committed = std::fs::read_to_string(root.join("spec/upstream.json")).unwrap();
    assert!(committed.contains("max_file_size"), "{committed}");
    assert!(!committed.contains("openapi"), "facts only, not the text");

    // Upstream renames one field: the check fails and names both spellings.
    let renamed = same.replace("max_file_size:", "maxFileSize:");
    let (ok, out) = refresh_and_check(root, &renamed);
    assert!(!ok, "{out}");
    assert!(
        out.contains(
            "NEW        pinata-v3-uploads.yaml: POST /files/sign request maxFileSize: only upstream (integer)"
        ),
        "{out}"
    );
    assert!(
        out.contains("request max_file_size: only ours (integer)"),
        "{out}"
    );

    // Explained by an allow-list entry with a reason: the check passes and says why.
    std::fs::write(
        root.join("spec/drift-allow.yaml"),
        "- match: 'pinata-v3-uploads.yaml: POST /files/sign request max*: only *'\n  reason: renamed upstream, both accepted\n",
    )
    .unwrap();
    let report = drift::check(root).unwrap();
    assert!(report.is_clean(), "{}", report.render());
    assert_eq!(report.explained.len(), 2);
    assert!(report.render().contains("renamed upstream, both accepted"));

    // Upstream reverts: the entry explains nothing any more, which fails too.
    let (ok, out) = refresh_and_check(root, &same);
    assert!(!ok, "{out}");
    assert!(out.contains("UNUSED"), "{out}");
}

#[test]
fn a_retyped_upstream_field_and_a_new_upstream_operation_are_named() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path();
    std::fs::create_dir_all(root.join("spec")).unwrap();
    std::fs::write(root.join("spec/pinata-v3-uploads.yaml"), OURS).unwrap();
    let changed = OURS
        .replace("data: { type: string }", "data: { type: boolean }")
        .replace(
            "paths:\n",
            "paths:\n  /vectorize/files/{file_id}:\n    delete:\n      responses: {}\n",
        );
    let (ok, out) = refresh_and_check(root, &changed);
    assert!(!ok, "{out}");
    for expected in [
        "POST /files/sign response data: type ours string, upstream boolean",
        "DELETE /vectorize/files/{} operation: only upstream",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
}

#[test]
fn an_unknown_upstream_file_is_refused() {
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("something-else.yaml");
    std::fs::write(&file, OURS).unwrap();
    let error = drift::refresh(work.path(), &[file]).unwrap_err();
    assert!(
        error.to_string().contains("pinata-api-v3.yaml"),
        "{error:#}"
    );
}

/// What CI runs: the committed facts and allow-list explain every difference of the
/// committed specs (needs only the repository, not the upstream files).
#[test]
fn the_committed_specs_have_no_unexplained_drift() {
    let report = drift::check(&repo_root()).unwrap();
    assert!(report.is_clean(), "{}", report.render());
}
