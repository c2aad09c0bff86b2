//! `grassroots documents`: read document numbers, ask which organizations have not yet
//! concretized or reviewed a document, and print the documents and training figures.

use std::io::Write;

use anyhow::{Context, bail};
use grassroots_domain::date::{Date, parse_date};
use grassroots_domain::documents::{DocumentNumber, ReviewKind};
use grassroots_domain::figures::FigureValue;
use grassroots_domain::rulebook::Rulebook;
use grassroots_storage::documents::{
    CascadeReader, CascadeRow, CascadeStatus, DocumentFigures, DocumentReader, Figures,
};
use grassroots_storage::orgs::OrgReader;
use grassroots_storage::{Scope, Store};

use crate::config::Config;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Read a document number such as 35-CT/TW or 368-QD/TU and show its parts.
    Parse {
        number: String,
        /// Also show the congress term the number belongs to on this date (YYYY-MM-DD).
        #[arg(long)]
        on: Option<String>,
    },
    /// Organizations in a subtree that have not yet concretized or reviewed a document.
    Pending {
        /// The code of the organization whose subtree is asked about.
        #[arg(long)]
        org: String,
        /// The document number, such as 35-CT/TW.
        #[arg(long)]
        document: String,
        /// The issuing organization's code, when several issuers share the number.
        #[arg(long)]
        issuer: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Documents, dissemination and training figures of a subtree over a period.
    Figures {
        #[arg(long)]
        org: String,
        /// First day of the period (YYYY-MM-DD or dd/mm/yyyy).
        #[arg(long)]
        from: String,
        /// Last day of the period, included.
        #[arg(long)]
        to: String,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(config: &Config, args: Args) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match args.command {
        Command::Parse { number, on } => {
            let on = match on {
                Some(raw) => Some(parse_date("--on", "date", &raw)?),
                None => None,
            };
            parse(&mut out, &number, on)
        }
        Command::Pending {
            org,
            document,
            issuer,
            json,
        } => {
            let store = super::open_store(config).await?;
            pending(&store, &mut out, &org, &document, issuer.as_deref(), json).await
        }
        Command::Figures {
            org,
            from,
            to,
            json,
        } => {
            let store = super::open_store(config).await?;
            let from = parse_date("--from", "date", &from)?;
            let to = parse_date("--to", "date", &to)?;
            figures(&store, &mut out, &org, from, to, json).await
        }
    }
}

fn today() -> Date {
    chrono::Local::now().date_naive()
}

/// Prints the canonical number and its parts.
pub fn parse(out: &mut impl Write, raw: &str, on: Option<Date>) -> anyhow::Result<()> {
    let rules = Rulebook::in_force(on.unwrap_or_else(today))?.documents;
    let number = DocumentNumber::parse(&rules, raw)?;
    writeln!(out, "{number}")?;
    writeln!(out, "  number  {}", number.number)?;
    if let Some(t) = rules.type_code(&number.type_code) {
        let older = if t.older { ", older form" } else { "" };
        writeln!(
            out,
            "  type    {} ({}, {}{older})",
            t.code, t.name, t.english
        )?;
    }
    if let Some(i) = rules.issuer_code(&number.issuer) {
        writeln!(out, "  issuer  {} ({})", i.code, i.name)?;
    }
    if let Some(day) = on {
        let term = rules.term_of(&number.issuer, day)?;
        writeln!(out, "  term    {} (on {day})", term.name)?;
    }
    Ok(())
}

/// Prints who in the subtree of `org_code` has not yet concretized or reviewed the document.
pub async fn pending(
    store: &Store,
    out: &mut impl Write,
    org_code: &str,
    number: &str,
    issuer: Option<&str>,
    json: bool,
) -> anyhow::Result<()> {
    let all = Scope::all();
    let org = store
        .org_by_code(&all, org_code)
        .await
        .with_context(|| format!("--org {org_code}"))?;
    let rules = Rulebook::in_force(today())?.documents;
    let number = DocumentNumber::parse(&rules, number)?;
    let mut found = store
        .documents_by_number(&Scope::subtree(org.path.clone()), &number)
        .await?;
    if let Some(code) = issuer {
        found.retain(|d| d.issuer_org_code == code);
    }
    let document = match found.as_slice() {
        [one] => one,
        [] => bail!(
            "no document {number} issued in or above {} ({}){}",
            org.code,
            org.name,
            issuer.map(|i| format!(" by {i}")).unwrap_or_default()
        ),
        many => bail!(
            "{number} names several documents; add --issuer with one of: {}",
            many.iter()
                .map(|d| format!("{} ({}, term {})", d.issuer_org_code, d.issued_on, d.term))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let status = store.cascade_status(&all, document.id, org.id).await?;
    if json {
        let codes = |rows: Vec<&CascadeRow>| -> Vec<String> {
            rows.iter().map(|r| r.org_code.clone()).collect()
        };
        let value = serde_json::json!({
            "status": status,
            "not_concretized": codes(status.not_concretized()),
            "not_reviewed_preliminary": codes(status.not_reviewed(ReviewKind::Preliminary)),
            "not_reviewed_final": codes(status.not_reviewed(ReviewKind::Final)),
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
        return Ok(());
    }
    write_pending(out, &status, &org.code)
}

fn write_pending(out: &mut impl Write, status: &CascadeStatus, org: &str) -> anyhow::Result<()> {
    let doc = &status.document;
    writeln!(
        out,
        "{} — {} ({})",
        doc.number_text, doc.title, doc.issued_on
    )?;
    let kinds: Vec<&str> = doc.concretize_by.iter().map(|k| k.as_str()).collect();
    writeln!(
        out,
        "{} organizations in {org} are expected to concretize it ({})",
        status.rows.len(),
        if kinds.is_empty() {
            "no kinds named".to_owned()
        } else {
            kinds.join(", ")
        }
    )?;
    let sections = [
        ("Not yet concretized", status.not_concretized()),
        (
            "Not yet reviewed (preliminary)",
            status.not_reviewed(ReviewKind::Preliminary),
        ),
        (
            "Not yet reviewed (final)",
            status.not_reviewed(ReviewKind::Final),
        ),
    ];
    for (title, rows) in sections {
        writeln!(out, "{title}: {}", rows.len())?;
        for r in rows {
            writeln!(
                out,
                "  {:<16} {} ({})",
                r.org_code,
                r.org_name,
                r.org_kind.as_str()
            )?;
        }
    }
    Ok(())
}

/// Prints the figures of the subtree of `org_code` over `[from, to]`.
pub async fn figures(
    store: &Store,
    out: &mut impl Write,
    org_code: &str,
    from: Date,
    to: Date,
    json: bool,
) -> anyhow::Result<()> {
    let all = Scope::all();
    let org = store
        .org_by_code(&all, org_code)
        .await
        .with_context(|| format!("--org {org_code}"))?;
    let figures = store.document_figures(&all, org.id, from, to).await?;
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&figures)?)?;
    } else {
        write_figures(out, &figures)?;
    }
    Ok(())
}

fn write_figures(out: &mut impl Write, figures: &Figures) -> anyhow::Result<()> {
    writeln!(
        out,
        "{} from {} to {}",
        figures.org_code, figures.from, figures.to
    )?;
    let width = figures
        .figures
        .iter()
        .map(|f| f.key.len())
        .max()
        .unwrap_or(0);
    for f in &figures.figures {
        let value = match f.value {
            FigureValue::Count(n) | FigureValue::Vnd(n) => n.to_string(),
            FigureValue::Ratio(r) => format!("{r:.3}"),
        };
        writeln!(out, "{:<width$}  {value:>8}  {}", f.key, f.description)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use grassroots_domain::org::OrgKind;
    use grassroots_storage::Actor;
    use grassroots_storage::documents::demo;
    use grassroots_storage::orgs::{NewOrg, OrgWriter};
    use grassroots_storage::testing::fresh_store;

    fn text(buf: Vec<u8>) -> String {
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn parse_prints_the_canonical_number_and_its_parts() {
        let mut buf = Vec::new();
        parse(&mut buf, "368-QD/TU", Some("2024-01-01".parse().unwrap())).unwrap();
        let out = text(buf);
        assert!(out.starts_with("368-QĐ/TU\n"), "{out}");
        assert!(out.contains("term    2020–2025"), "{out}");
        let err = parse(&mut Vec::new(), "35-XX/TW", None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("type"), "{err}");
    }

    #[tokio::test]
    async fn pending_and_figures_read_the_demo_cascade() {
        let store = fresh_store().await;
        let actor = Actor::new("test");
        let all = Scope::all();
        let mut parent = None;
        let mut ids = Vec::new();
        for (code, kind) in [
            ("TW", OrgKind::Central),
            ("HT", OrgKind::Provincial),
            ("HT.X1", OrgKind::Commune),
            ("HT.X2", OrgKind::Commune),
            ("HT.X3", OrgKind::Commune),
        ] {
            let org = store
                .create_org(
                    &actor,
                    &all,
                    NewOrg {
                        code: code.into(),
                        name: format!("Đảng bộ {code}"),
                        kind,
                        parent_id: parent,
                        founded_on: "2015-01-01".parse().unwrap(),
                        decision: None,
                    },
                )
                .await
                .unwrap();
            if kind != OrgKind::Commune {
                parent = Some(org.id);
            }
            ids.push(org.id);
        }
        demo::build(&store, &actor, ids[0], ids[1]).await.unwrap();

        let mut buf = Vec::new();
        pending(&store, &mut buf, "HT", "35-ct/tw", None, false)
            .await
            .unwrap();
        let out = text(buf);
        assert!(out.contains("Not yet concretized: 1\n  HT.X3 "), "{out}");
        assert!(out.contains("Not yet reviewed (preliminary): 2\n"), "{out}");

        let mut buf = Vec::new();
        pending(&store, &mut buf, "HT.X3", "24-KH/TU", None, true)
            .await
            .unwrap();
        let value: serde_json::Value = serde_json::from_slice(&buf).unwrap();
        assert_eq!(value["not_concretized"], serde_json::json!(["HT.X3"]));

        let err = pending(&store, &mut Vec::new(), "HT", "99-KH/TU", None, false)
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("no document 99-KH/TU"), "{err}");

        let mut buf = Vec::new();
        let (from, to) = ("2024-01-01".parse().unwrap(), "2024-12-31".parse().unwrap());
        figures(&store, &mut buf, "HT", from, to, true)
            .await
            .unwrap();
        let value: serde_json::Value = serde_json::from_slice(&buf).unwrap();
        let get = |key: &str| {
            value["figures"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["key"] == key)
                .unwrap()["value"]["amount"]
                .clone()
        };
        assert_eq!(get("documents.issued"), 3);
        assert_eq!(get("training.dissemination.classes"), 2);
        assert_eq!(get("training.dissemination.participants"), 10);
        assert_eq!(get("training.awareness.participants"), 3);
        let mut buf = Vec::new();
        figures(&store, &mut buf, "HT", from, to, false)
            .await
            .unwrap();
        assert!(text(buf).contains("documents.concretized"));
    }
}
