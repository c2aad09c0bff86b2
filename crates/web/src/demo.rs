//! Demo accounts on whatever tree is loaded: one account for each kind of user a visitor
//! wants to try. `grassroots serve --demo` prints them.

use grassroots_domain::DomainError;
use grassroots_domain::access::Role;
use grassroots_storage::accounts::{AccountReader, AccountWriter, NewUser};
use grassroots_storage::members::{MemberQuery, MemberReader};
use grassroots_storage::{Actor, Scope, Store, browse};

use crate::auth::hash_password;

/// The password of every demo account (a demo is public by nature).
pub const DEMO_PASSWORD: &str = "grassroots-demo";

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DemoAccount {
    pub username: String,
    pub password: String,
    pub role: Role,
    pub org_code: String,
}

/// Creates (or finds, when run again) the demo accounts: an administrator and a committee
/// office user on the first root organization, a cell secretary of the first cell by code,
/// and a member account linked to a member of that cell.
pub async fn demo_accounts(store: &Store) -> anyhow::Result<Vec<DemoAccount>> {
    let all = Scope::all();
    let root = browse::top_orgs(store, &all)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| {
            anyhow::anyhow!("the tree is empty: load organizations before creating demo accounts")
        })?;
    let cell = browse::first_cell(store)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the tree has no cell: demo accounts need one"))?;
    let page = store
        .list_members(
            &all,
            &MemberQuery {
                org_id: Some(cell.id),
                limit: 1,
                ..MemberQuery::default()
            },
        )
        .await?;
    let member = page.rows.first().map(|r| r.id);
    let actor = Actor::new("system:demo");
    let mut plan = vec![
        (
            "demo.admin",
            "Quản trị (demo)",
            Role::Administrator,
            &root,
            None,
        ),
        (
            "demo.office",
            "Văn phòng cấp ủy (demo)",
            Role::CommitteeOffice,
            &root,
            None,
        ),
        (
            "demo.secretary",
            "Bí thư chi bộ (demo)",
            Role::CellSecretary,
            &cell,
            None,
        ),
    ];
    if member.is_some() {
        plan.push((
            "demo.member",
            "Đảng viên (demo)",
            Role::Member,
            &cell,
            member,
        ));
    }
    let mut out = Vec::new();
    for (username, display, role, org, member_id) in plan {
        match store.user_by_name(username).await {
            Ok(_) => {}
            Err(e) if matches!(e.domain(), Some(DomainError::NotFound { .. })) => {
                let user = store
                    .create_user(
                        &actor,
                        NewUser {
                            username: username.into(),
                            password_hash: hash_password(DEMO_PASSWORD)?,
                            display_name: display.into(),
                            language: "vi".into(),
                            member_id,
                        },
                    )
                    .await?;
                store
                    .assign_role(&actor, user.id, role, Some(org.id))
                    .await?;
            }
            Err(e) => return Err(e.into()),
        }
        out.push(DemoAccount {
            username: username.into(),
            password: DEMO_PASSWORD.into(),
            role,
            org_code: org.code.clone(),
        });
    }
    Ok(out)
}
