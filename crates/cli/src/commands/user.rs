//! `grassroots user add`: creates an account and gives it a role on a subtree. This is how
//! the first administrator comes to exist.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::Context;
use grassroots_domain::access::Role;
use grassroots_storage::accounts::{AccountWriter, NewUser};
use grassroots_storage::orgs::OrgReader;
use grassroots_storage::{Actor, Scope};

use crate::config::Config;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create a user with a role on an organization's subtree.
    Add(AddArgs),
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// Lower-case user name (3-64 letters, digits, '.', '-', '_').
    username: String,
    /// administrator, committee_office, inspection, propaganda, mass_mobilization,
    /// cell_secretary or member.
    #[arg(long)]
    role: String,
    /// The code of the organization whose subtree the role covers. An administrator
    /// without --org holds the whole tree.
    #[arg(long)]
    org: Option<String>,
    /// The name shown in the application (default: the user name).
    #[arg(long)]
    display_name: Option<String>,
    /// Preferred language: vi, en, sv, ru, nb or id.
    #[arg(long, default_value = "vi")]
    language: String,
    /// The id of the user's own member record (required for the member role).
    #[arg(long)]
    member_id: Option<i64>,
    /// Read the password from the first line of standard input instead of prompting.
    #[arg(long)]
    password_stdin: bool,
}

pub async fn run(config: &Config, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Add(args) => add(config, args).await,
    }
}

fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    let interactive = !from_stdin && stdin.is_terminal();
    if interactive {
        eprint!("password for the new user: ");
        std::io::stderr().flush()?;
        // Hide the typing where a terminal allows it.
        let _ = std::process::Command::new("stty").arg("-echo").status();
    }
    let mut line = String::new();
    let read = stdin.lock().read_line(&mut line);
    if interactive {
        let _ = std::process::Command::new("stty").arg("echo").status();
        eprintln!();
    }
    read.context("reading the password")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

async fn add(config: &Config, args: AddArgs) -> anyhow::Result<()> {
    let role = Role::parse(&args.role).with_context(|| {
        let all: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        format!("--role `{}` is not one of: {}", args.role, all.join(", "))
    })?;
    if grassroots_web::i18n::supported(&args.language).is_none() {
        anyhow::bail!(
            "--language `{}` is not one of vi, en, sv, ru, nb, id",
            args.language
        );
    }
    let store = super::open_store(config).await?;
    // Check what the role needs before creating anything, so a refusal leaves no account.
    let org = match &args.org {
        Some(code) => Some(
            store
                .org_by_code(&Scope::all(), code)
                .await
                .with_context(|| format!("--org {code}"))?,
        ),
        None if role.may_hold_whole_tree() => None,
        None => anyhow::bail!("--org is required for the role {}", role.as_str()),
    };
    if role.needs_member_link() && args.member_id.is_none() {
        anyhow::bail!("the member role needs --member-id (the user's own member record)");
    }
    if let Some(o) = &org
        && role == Role::CellSecretary
        && !o.kind.holds_members()
    {
        anyhow::bail!("--org {}: a cell secretary is held on a cell", o.code);
    }
    let org_id = org.map(|o| o.id);
    let password = read_password(args.password_stdin)?;
    grassroots_web::auth::check_password(&args.username, &password)?;
    let hash = grassroots_web::auth::hash_password(&password)?;
    let actor = Actor::new("cli:user-add");
    let user = store
        .create_user(
            &actor,
            NewUser {
                username: args.username.clone(),
                password_hash: hash,
                display_name: args
                    .display_name
                    .clone()
                    .unwrap_or_else(|| args.username.clone()),
                language: args.language.clone(),
                member_id: args.member_id,
            },
        )
        .await?;
    let assignment = store.assign_role(&actor, user.id, role, org_id).await;
    if let Err(e) = assignment {
        anyhow::bail!(
            "user {} was created but the role was refused: {e}; give it with another `user add` under a new name, \
             or fix the organization",
            user.username
        );
    }
    eprintln!(
        "created user {} with role {} on {}",
        user.username,
        role.as_str(),
        args.org.as_deref().unwrap_or("the whole tree")
    );
    Ok(())
}
