//! Turns each spec into a module of `crates/pinion-api` with progenitor.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use heck::ToSnakeCase;
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use serde_json::Value;

use crate::lint::{HANDWRITTEN, lint};
use crate::specs::{METHODS, SPECS, SpecTarget, generated_dir, operations};

/// The generated source of one spec, with what went into it.
#[derive(Debug)]
pub struct Generated {
    /// Which spec this is.
    pub target: SpecTarget,
    /// Where the module belongs.
    pub path: PathBuf,
    /// The formatted module source.
    pub contents: String,
    /// operationIds progenitor generated.
    pub generated: Vec<String>,
    /// operationIds left to the hand-written library (multipart and TUS).
    pub handwritten: Vec<String>,
}

impl Generated {
    /// One line for the console: what was generated and what was left out.
    pub fn summary(&self) -> String {
        let total = self.generated.len() + self.handwritten.len();
        let mut line = format!(
            "spec/{}: {total} operations, {} generated into {}",
            self.target.file,
            self.generated.len(),
            display_relative(&self.path),
        );
        if !self.handwritten.is_empty() {
            line.push_str(&format!(
                "; {} multipart/TUS left to the hand-written library: {}",
                self.handwritten.len(),
                self.handwritten.join(", ")
            ));
        }
        line
    }
}

fn display_relative(path: &Path) -> String {
    let text = path.display().to_string();
    match text.find("crates/") {
        Some(index) => text[index..].to_string(),
        None => text,
    }
}

/// Generates every spec below `root` (in memory).
pub fn generate_all(root: &Path) -> Result<Vec<Generated>> {
    SPECS.iter().map(|target| generate(root, *target)).collect()
}

/// Lints one spec and generates its module (in memory).
pub fn generate(root: &Path, target: SpecTarget) -> Result<Generated> {
    let spec_path = target.spec_path(root);
    let value = target.load_value(root)?;
    let problems = lint(&value);
    if !problems.is_empty() {
        bail!(
            "spec/{} has {} problem(s):\n  {}",
            target.file,
            problems.len(),
            problems.join("\n  ")
        );
    }

    let (pruned, handwritten) = without_handwritten(&value);
    let generated: Vec<String> = operations(&pruned)
        .iter()
        .filter_map(|op| op.id().map(str::to_string))
        .collect();

    let openapi: openapiv3::OpenAPI = serde_json::from_value(pruned)
        .with_context(|| format!("reading {} as OpenAPI 3.0", spec_path.display()))?;
    let tokens = run_progenitor(&openapi, target)
        .with_context(|| format!("generating code for spec/{}", target.file))?;
    let file: syn::File = syn::parse2(tokens).context("progenitor produced unparsable code")?;
    let body = prettyplease::unparse(&file);

    let missing: Vec<&String> = generated
        .iter()
        .filter(|id| !body.contains(&format!("pub fn {}(", id.to_snake_case())))
        .collect();
    if !missing.is_empty() {
        bail!(
            "spec/{}: progenitor dropped operations that are not multipart: {missing:?}",
            target.file
        );
    }

    let has_tus = operations(&value).iter().any(|op| op.is_tus());
    let contents = format!("{}{body}", header(target, &handwritten, has_tus));
    Ok(Generated {
        target,
        path: target.generated_path(root),
        contents,
        generated,
        handwritten,
    })
}

/// Removes the operations marked hand-written (multipart, TUS), returning their ids.
fn without_handwritten(spec: &Value) -> (Value, Vec<String>) {
    let mut pruned = spec.clone();
    let mut removed = Vec::new();
    if let Some(paths) = pruned.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for method in METHODS {
                let is_handwritten = item
                    .get(*method)
                    .and_then(|op| op.get(HANDWRITTEN))
                    .and_then(Value::as_bool)
                    == Some(true);
                if is_handwritten && let Some(op) = item.remove(*method) {
                    let id = op.get("operationId").and_then(Value::as_str).unwrap_or("?");
                    removed.push(id.to_string());
                }
            }
        }
        paths.retain(|_, item| METHODS.iter().any(|method| item.get(*method).is_some()));
    }
    (pruned, removed)
}

fn run_progenitor(
    spec: &openapiv3::OpenAPI,
    target: SpecTarget,
) -> Result<proc_macro2::TokenStream> {
    let inner: proc_macro2::TokenStream = target
        .inner_type
        .parse()
        .map_err(|error| anyhow!("inner type {}: {error}", target.inner_type))?;
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_inner_type(inner)
        .with_hooks(HooksMode::Expected)
        .with_map_type("::std::collections::BTreeMap")
        .with_derive("PartialEq")
        .with_derive("schemars::JsonSchema");
    let mut generator = Generator::new(&settings);
    // progenitor reports some unsupported shapes by panicking; turn that into an error.
    match catch_unwind(AssertUnwindSafe(|| generator.generate_tokens(spec))) {
        Ok(result) => result.map_err(|error| anyhow!("{error}")),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown panic".to_string());
            Err(anyhow!("progenitor panicked: {message}"))
        }
    }
}

fn header(target: SpecTarget, handwritten: &[String], has_tus: bool) -> String {
    let mut header = format!(
        "// @generated by `cargo xtask codegen` from spec/{} with progenitor.\n\
         // Do not edit by hand: change the spec and regenerate.\n",
        target.file
    );
    if !handwritten.is_empty() {
        header.push_str(&format!(
            "// {} operations implemented by hand in the `pinion` crate: {}.\n",
            if has_tus {
                "Multipart and TUS"
            } else {
                "Multipart"
            },
            handwritten.join(", ")
        ));
    }
    header.push('\n');
    header
}

/// Writes the generated modules; returns the paths that changed.
pub fn write(generated: &[Generated]) -> Result<Vec<PathBuf>> {
    let mut changed = Vec::new();
    for module in generated {
        if read_normalized(&module.path).as_deref() != Some(module.contents.as_str()) {
            if let Some(parent) = module.path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&module.path, &module.contents)
                .with_context(|| format!("writing {}", module.path.display()))?;
            changed.push(module.path.clone());
        }
    }
    Ok(changed)
}

/// A committed file that differs from what the specs produce.
#[derive(Debug)]
pub struct Stale {
    /// The file on disk.
    pub path: PathBuf,
    /// A unified diff (committed → regenerated), shortened.
    pub diff: String,
}

/// Compares the generated modules with the committed ones, naming every stale file
/// (including generated files no spec produces any more).
pub fn check(root: &Path, generated: &[Generated]) -> Result<Vec<Stale>> {
    let mut stale = Vec::new();
    for module in generated {
        let committed = read_normalized(&module.path).unwrap_or_default();
        if committed != module.contents {
            stale.push(Stale {
                path: module.path.clone(),
                diff: short_diff(&committed, &module.contents, 60),
            });
        }
    }
    let dir = generated_dir(root);
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries {
            let path = entry?.path();
            if !generated.iter().any(|module| module.path == path) {
                stale.push(Stale {
                    diff: "no spec generates this file any more; delete it".to_string(),
                    path,
                });
            }
        }
    }
    Ok(stale)
}

fn read_normalized(path: &Path) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|text| text.replace("\r\n", "\n"))
}

fn short_diff(old: &str, new: &str, max_lines: usize) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(2)
        .header("committed", "regenerated")
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= max_lines {
        text
    } else {
        format!(
            "{}\n… ({} more diff lines)\n",
            lines[..max_lines].join("\n"),
            lines.len() - max_lines
        )
    }
}
