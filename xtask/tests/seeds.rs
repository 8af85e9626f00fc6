//! The seeds' example exchanges (copied into `tests/fixtures/seeds/`) validate against the
//! specs: request bodies, documented responses, and the authentication headers they send.

use std::path::{Path, PathBuf};

use serde_json::Value;
use xtask::schema::{SchemaChecker, resolve};
use xtask::specs::{load_yaml, operations, repo_root};

fn fixtures() -> Vec<(PathBuf, Value)> {
    let dir = repo_root().join("tests/fixtures/seeds");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 4, "one fixture per seed document");
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (path, value)
        })
        .collect()
}

/// Whether a concrete path matches an OpenAPI path template.
fn path_matches(template: &str, path: &str) -> bool {
    let template: Vec<&str> = template.split('/').collect();
    let path: Vec<&str> = path.split('/').collect();
    template.len() == path.len()
        && template
            .iter()
            .zip(&path)
            .all(|(t, p)| (t.starts_with('{') && t.ends_with('}') && !p.is_empty()) || t == p)
}

fn find_operation<'a>(spec: &'a Value, method: &str, path: &str) -> &'a Value {
    operations(spec)
        .into_iter()
        .find(|op| op.method.eq_ignore_ascii_case(method) && path_matches(op.path, path))
        .unwrap_or_else(|| panic!("no operation {method} {path} in the spec"))
        .value
}

fn json_schema_of<'a>(spec: &'a Value, holder: &'a Value) -> &'a Value {
    let holder = resolve(spec, holder).unwrap();
    holder
        .pointer("/content/application~1json/schema")
        .unwrap_or_else(|| panic!("no application/json schema in {holder}"))
}

/// Whether the headers satisfy one security requirement (all of its schemes).
fn satisfies(spec: &Value, requirement: &Value, headers: &Value) -> bool {
    let header = |name: &str| {
        headers
            .as_object()
            .unwrap()
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .and_then(|(_, value)| value.as_str())
    };
    requirement.as_object().unwrap().keys().all(|scheme| {
        let definition = &spec["components"]["securitySchemes"][scheme];
        match definition["type"].as_str() {
            Some("apiKey") => {
                definition["in"] == "header"
                    && definition["name"].as_str().and_then(header).is_some()
            }
            Some("http") => {
                definition["scheme"] == "bearer"
                    && header("Authorization").is_some_and(|v| v.starts_with("Bearer "))
            }
            other => panic!("unexpected security scheme type {other:?} for {scheme}"),
        }
    })
}

#[test]
fn seed_exchanges_validate_against_the_specs() {
    let root = repo_root();
    let mut checked = 0;
    for (path, fixture) in fixtures() {
        let spec = load_yaml(&root.join("spec").join(fixture["spec"].as_str().unwrap())).unwrap();
        let checker = SchemaChecker::new(&spec);
        for exchange in fixture["exchanges"].as_array().unwrap() {
            let what = format!("{} / {}", path.display(), exchange["name"]);
            let method = exchange["method"].as_str().unwrap();
            let op = find_operation(&spec, method, exchange["path"].as_str().unwrap());

            let requirements = op.get("security").or(spec.get("security")).unwrap();
            assert!(
                requirements
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|requirement| satisfies(&spec, requirement, &exchange["headers"])),
                "{what}: the seed's headers satisfy none of {requirements}"
            );

            if let Some(body) = exchange.get("body") {
                let schema = json_schema_of(&spec, &op["requestBody"]);
                assert_eq!(
                    checker.validate(schema, body),
                    Ok(()),
                    "{what}: request body"
                );
            }

            let response = &exchange["response"];
            let status = response["status"].as_u64().unwrap().to_string();
            let documented = op["responses"]
                .get(&status)
                .unwrap_or_else(|| panic!("{what}: the spec documents no {status} response"));
            if let Some(body) = response.get("body") {
                let schema = json_schema_of(&spec, documented);
                assert_eq!(
                    checker.validate(schema, body),
                    Ok(()),
                    "{what}: response body"
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 6, "every exchange of every seed was checked");
}

/// Text without whitespace or double quotes, so a JSON body and the seed's JSON or
/// JavaScript-literal rendering of it compare equal.
fn squeeze(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '"')
        .collect()
}

/// The squeezed `key:value` pieces of a body, recursing into objects: each must appear in
/// the seed, whatever order serde_json keeps the keys in.
fn pieces(value: &Value) -> Vec<String> {
    match value {
        Value::String(text) => vec![squeeze(text)],
        Value::Object(object) => object
            .iter()
            .flat_map(|(key, value)| match value {
                Value::Object(_) => {
                    let mut nested = vec![squeeze(&format!("{key}:{{"))];
                    nested.extend(pieces(value));
                    nested
                }
                other => vec![squeeze(&format!("{key}:{other}"))],
            })
            .collect(),
        other => vec![squeeze(&other.to_string())],
    }
}

#[test]
fn fixtures_are_verbatim_copies_of_the_seeds() {
    let seeds: &Path = &repo_root().join("../shared/seeds");
    if !seeds.is_dir() {
        eprintln!(
            "{} is not present: comparison with the seeds skipped",
            seeds.display()
        );
        return;
    }
    for (path, fixture) in fixtures() {
        let seed = std::fs::read_to_string(seeds.join(fixture["seed"].as_str().unwrap())).unwrap();
        let seed = squeeze(&seed);
        for exchange in fixture["exchanges"].as_array().unwrap() {
            let what = format!("{} / {}", path.display(), exchange["name"]);
            assert!(
                seed.contains(&squeeze(exchange["path"].as_str().unwrap())),
                "{what}: path"
            );
            for (name, value) in exchange["headers"].as_object().unwrap() {
                let line = format!("{name}:{}", value.as_str().unwrap());
                let table = format!("name={name}");
                assert!(
                    seed.contains(&squeeze(&line)) || seed.contains(&squeeze(&table)),
                    "{what}: header {name} is not in the seed"
                );
            }
            for body in [exchange.get("body"), exchange["response"].get("body")]
                .into_iter()
                .flatten()
            {
                for piece in pieces(body) {
                    assert!(
                        seed.contains(&piece),
                        "{what}: `{piece}` is not in the seed"
                    );
                }
            }
        }
    }
}
