//! `cargo xtask codegen --check` notices a spec edited without regenerating, names the
//! stale file, and passes again once the code is regenerated.

use std::path::Path;

use serde_json::Value;
use xtask::codegen::{check, generate_all, write};
use xtask::lint::HANDWRITTEN;
use xtask::specs::{SPECS, generated_dir, load_yaml, repo_root};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
    }
}

/// Changes the description of the spec's first generated operation (or adds one); the
/// hand-written ones (multipart, TUS) never reach the generated code.
fn edit_first_description(path: &Path) {
    let mut spec = load_yaml(path).unwrap();
    let paths = spec["paths"].as_object_mut().unwrap();
    let op = paths
        .values_mut()
        .flat_map(|item| item.as_object_mut().unwrap().values_mut())
        .find(|v| v.get("responses").is_some() && v.get(HANDWRITTEN).is_none())
        .unwrap();
    let old = op
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    op["description"] = Value::String(format!("{old} Edited without regenerating."));
    std::fs::write(path, serde_yaml::to_string(&spec).unwrap()).unwrap();
}

#[test]
fn check_names_stale_files_until_regenerated() {
    let repo = repo_root();
    let work = tempfile::tempdir().unwrap();
    let root = work.path();
    copy_dir(&repo.join("spec"), &root.join("spec"));
    copy_dir(&generated_dir(&repo), &generated_dir(root));

    let fresh = generate_all(root).unwrap();
    let stale = check(root, &fresh).unwrap();
    assert!(
        stale.is_empty(),
        "the committed code is up to date: {stale:?}"
    );

    for target in SPECS {
        edit_first_description(&target.spec_path(root));
        let generated = generate_all(root).unwrap();
        let stale = check(root, &generated).unwrap();
        let named: Vec<_> = stale.iter().map(|s| s.path.clone()).collect();
        assert_eq!(
            named,
            vec![target.generated_path(root)],
            "only {} is stale",
            target.file
        );
        assert!(
            stale[0].diff.contains("Edited without regenerating."),
            "{}",
            stale[0].diff
        );

        write(&generated).unwrap();
        let stale = check(root, &generate_all(root).unwrap()).unwrap();
        assert!(
            stale.is_empty(),
            "regenerating {} fixes it: {stale:?}",
            target.file
        );
    }
}
