//! `pinion groups …`: groups of files on Pinata's v3 API, per network (`--private`).

use anyhow::{Context as _, Result};
use clap::Subcommand;
use futures::StreamExt;
use pinion::pinata_v3::{GroupFilter, types};
use serde_json::{Value, json};

use crate::cli::ServiceName;
use crate::context::Ctx;
use crate::exit::Usage;
use crate::files::NetworkArg;
use crate::listing::{Layout, Rows};

/// `pinion groups …`.
#[derive(Debug, Subcommand)]
pub enum GroupsCommand {
    /// Create a group.
    Create {
        /// The group's name.
        name: String,
        /// Make the group's files public on the gateway (`is_public`).
        #[arg(long)]
        is_public: bool,
        #[command(flatten)]
        network: NetworkArg,
    },
    /// List groups.
    List {
        /// Only groups whose name contains this.
        #[arg(long)]
        name: Option<String>,
        /// Page through every group (default: the first page).
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        network: NetworkArg,
    },
    /// One group.
    Get {
        /// The group id.
        id: String,
        #[command(flatten)]
        network: NetworkArg,
    },
    /// Rename a group, or change whether it is public.
    Update {
        /// The group id.
        id: String,
        /// The new name.
        #[arg(long)]
        name: Option<String>,
        /// Set `is_public` (true or false).
        #[arg(long, value_name = "BOOL")]
        is_public: Option<bool>,
        #[command(flatten)]
        network: NetworkArg,
    },
    /// Delete a group (its files stay).
    Delete {
        /// The group id.
        id: String,
        #[command(flatten)]
        network: NetworkArg,
    },
    /// Add files to a group.
    Add {
        /// The group id.
        group: String,
        /// The file ids.
        #[arg(required = true, value_name = "FILE_ID")]
        files: Vec<String>,
        #[command(flatten)]
        network: NetworkArg,
    },
    /// Remove files from a group.
    Remove {
        /// The group id.
        group: String,
        /// The file ids.
        #[arg(required = true, value_name = "FILE_ID")]
        files: Vec<String>,
        #[command(flatten)]
        network: NetworkArg,
    },
}

/// The `--json` object of a group.
fn group_json(group: &types::Group) -> Value {
    json!({
        "id": group.id,
        "name": group.name,
        "is_public": group.is_public.unwrap_or(false),
        "created_at": group.created_at,
    })
}

fn print_group(ctx: &Ctx, group: &types::Group) {
    ctx.out.print(group_json(group), &[&group.id], || {
        format!(
            "group {} ({}{})\n{}",
            group.name.as_deref().unwrap_or("(unnamed)"),
            if group.is_public == Some(true) {
                "public"
            } else {
                "not public"
            },
            group
                .created_at
                .as_deref()
                .map(|at| format!(", created {at}"))
                .unwrap_or_default(),
            group.id
        )
    });
}

/// Runs one `groups` command.
pub async fn run(ctx: &Ctx, command: GroupsCommand) -> Result<()> {
    ctx.require(ServiceName::Pinata, "`pinion groups` (Pinata's v3 API)")?;
    let client = ctx.pinata_v3()?;
    match command {
        GroupsCommand::Create {
            name,
            is_public,
            network,
        } => {
            let group = client
                .create_group(network.network(), &name, Some(is_public))
                .await
                .with_context(|| format!("creating group `{name}`"))?;
            print_group(ctx, &group);
        }
        GroupsCommand::List { name, all, network } => {
            let filter = GroupFilter {
                name,
                ..GroupFilter::default()
            };
            let groups: Vec<Result<types::Group, pinion::Error>> = if all {
                client.groups(network.network(), filter).collect().await
            } else {
                let (groups, _) = client
                    .groups_page(network.network(), &filter, None)
                    .await
                    .context("listing groups")?;
                groups.into_iter().map(Ok).collect()
            };
            let rows = Rows::collect(futures::stream::iter(groups))
                .await
                .context("listing groups")?;
            let layout = Layout {
                header: &["ID", "NAME", "PUBLIC"],
                bare: 0,
            };
            rows.print(
                &ctx.out,
                layout,
                |g| {
                    vec![
                        g.id.clone(),
                        g.name.clone().unwrap_or_default(),
                        g.is_public.unwrap_or(false).to_string(),
                    ]
                },
                group_json,
            );
        }
        GroupsCommand::Get { id, network } => {
            let group = client
                .group(network.network(), &id)
                .await
                .with_context(|| format!("getting group {id}"))?;
            print_group(ctx, &group);
        }
        GroupsCommand::Update {
            id,
            name,
            is_public,
            network,
        } => {
            if name.is_none() && is_public.is_none() {
                return Err(Usage(
                    "say what to change: --name NAME and/or --is-public true|false".to_owned(),
                )
                .into());
            }
            let group = client
                .update_group(network.network(), &id, name.as_deref(), is_public)
                .await
                .with_context(|| format!("updating group {id}"))?;
            print_group(ctx, &group);
        }
        GroupsCommand::Delete { id, network } => {
            client
                .delete_group(network.network(), &id)
                .await
                .with_context(|| format!("deleting group {id}"))?;
            ctx.out
                .print(json!({ "id": id, "deleted": true }), &[&id], || {
                    format!("deleted group {id}")
                });
        }
        GroupsCommand::Add {
            group,
            files,
            network,
        } => {
            for file in &files {
                client
                    .add_to_group(network.network(), &group, file)
                    .await
                    .with_context(|| format!("adding file {file} to group {group}"))?;
                ctx.out.print(
                    json!({ "group": group, "file": file, "added": true }),
                    &[file],
                    || format!("added {file} to group {group}"),
                );
            }
        }
        GroupsCommand::Remove {
            group,
            files,
            network,
        } => {
            for file in &files {
                client
                    .remove_from_group(network.network(), &group, file)
                    .await
                    .with_context(|| format!("removing file {file} from group {group}"))?;
                ctx.out.print(
                    json!({ "group": group, "file": file, "removed": true }),
                    &[file],
                    || format!("removed {file} from group {group}"),
                );
            }
        }
    }
    Ok(())
}
