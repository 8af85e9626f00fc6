//! The specs pinion ships, where they live, and what each one generates.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde_json::Value;

/// One hand-written OpenAPI document and the generated module it becomes.
#[derive(Debug, Clone, Copy)]
pub struct SpecTarget {
    /// File name under `spec/`.
    pub file: &'static str,
    /// Module of `pinion-api` the generated client goes into (`src/generated/<module>.rs`).
    pub module: &'static str,
    /// The Rust type of the generated client's `inner` value (credentials plus executor).
    pub inner_type: &'static str,
}

/// Every spec, in generation order.
pub const SPECS: &[SpecTarget] = &[
    SpecTarget {
        file: "pinata.yaml",
        module: "pinata",
        inner_type: "crate::ClientContext<crate::auth::PinataCredentials>",
    },
    SpecTarget {
        file: "pinata-submarine.yaml",
        module: "submarine",
        inner_type: "crate::ClientContext<crate::auth::SubmarineCredentials>",
    },
    SpecTarget {
        file: "pinata-v3.yaml",
        module: "pinata_v3",
        inner_type: "crate::ClientContext<crate::auth::PinataCredentials>",
    },
    SpecTarget {
        file: "pinata-v3-uploads.yaml",
        module: "pinata_v3_uploads",
        inner_type: "crate::ClientContext<crate::auth::PinataCredentials>",
    },
    SpecTarget {
        file: "w3ipfs.yaml",
        module: "w3ipfs",
        inner_type: "crate::ClientContext<crate::auth::W3ipfsCredentials>",
    },
    SpecTarget {
        file: "psa.yaml",
        module: "psa",
        inner_type: "crate::ClientContext<crate::auth::PsaCredentials>",
    },
];

impl SpecTarget {
    /// Path of the spec file below the repository root.
    pub fn spec_path(&self, root: &Path) -> PathBuf {
        root.join("spec").join(self.file)
    }

    /// Path of the generated module below the repository root.
    pub fn generated_path(&self, root: &Path) -> PathBuf {
        generated_dir(root).join(format!("{}.rs", self.module))
    }

    /// Reads the spec as untyped JSON (for linting and example validation).
    pub fn load_value(&self, root: &Path) -> Result<Value> {
        load_yaml(&self.spec_path(root))
    }
}

/// Directory holding the generated modules of `pinion-api`.
pub fn generated_dir(root: &Path) -> PathBuf {
    root.join("crates/pinion-api/src/generated")
}

/// The repository root (the parent of the xtask crate).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the repository root")
        .to_path_buf()
}

/// Parses a YAML file into JSON values, with the file named in any error.
pub fn load_yaml(path: &Path) -> Result<Value> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_yaml::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

/// HTTP methods an OpenAPI path item can hold, in the order OpenAPI lists them.
pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation of a spec, borrowed from the untyped document.
#[derive(Debug, Clone, Copy)]
pub struct Operation<'a> {
    /// Path template, e.g. `/pinning/unpin/{cid}`.
    pub path: &'a str,
    /// Lower-case HTTP method.
    pub method: &'a str,
    /// The operation object.
    pub value: &'a Value,
}

impl<'a> Operation<'a> {
    /// The operationId, if the operation has one.
    pub fn id(&self) -> Option<&'a str> {
        self.value.get("operationId").and_then(Value::as_str)
    }

    /// `METHOD /path`, for messages.
    pub fn label(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }

    /// Whether the operation is marked `x-pinion-handwritten: true`.
    pub fn is_handwritten(&self) -> bool {
        self.flag(crate::lint::HANDWRITTEN)
    }

    /// Whether the operation is marked as part of the TUS exchange (`x-pinion-tus: true`).
    pub fn is_tus(&self) -> bool {
        self.flag(crate::lint::TUS)
    }

    fn flag(&self, name: &str) -> bool {
        self.value.get(name).and_then(Value::as_bool) == Some(true)
    }

    /// Whether the request body is multipart, which progenitor cannot generate.
    pub fn is_multipart(&self) -> bool {
        self.value
            .pointer("/requestBody/content")
            .and_then(Value::as_object)
            .is_some_and(|content| content.keys().any(|k| k.starts_with("multipart/")))
    }
}

/// Every operation of a spec, in document order.
pub fn operations(spec: &Value) -> Vec<Operation<'_>> {
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    paths
        .iter()
        .flat_map(|(path, item)| {
            METHODS.iter().filter_map(move |method| {
                item.get(*method).map(|value| Operation {
                    path: path.as_str(),
                    method,
                    value,
                })
            })
        })
        .collect()
}
