//! Importing members from a table: identity, status, dates, and the cell by its code.

use std::collections::HashMap;

use grassroots_domain::DomainError;
use grassroots_domain::date::Date;
use grassroots_domain::member::{MemberIdentity, MemberStatus};
use grassroots_storage::members::{MemberKey, NewMember};
use grassroots_storage::orgs::OrgReader;
use grassroots_storage::{Actor, Scope, Store, StoreError};

use super::columns::{Column, Columns};
use super::table::Row;
use super::{IMPORT_ACTOR, Table, TableSummary, values};
use crate::{InterchangeError, InterchangeResult, Progress};

const SPEC: &[Column] = &[
    Column {
        field: "full_name",
        names: &["Họ và tên", "full_name", "Họ tên", "Tên đảng viên"],
        required: true,
    },
    Column {
        field: "birth_date",
        names: &["Ngày sinh", "birth_date", "Ngày tháng năm sinh"],
        required: true,
    },
    Column {
        field: "gender",
        names: &["Giới tính", "gender"],
        required: true,
    },
    Column {
        field: "ethnicity",
        names: &["Dân tộc", "ethnicity"],
        required: false,
    },
    Column {
        field: "citizen_id",
        names: &[
            "Số CCCD",
            "citizen_id",
            "CCCD",
            "Số căn cước",
            "Số căn cước công dân",
        ],
        required: false,
    },
    Column {
        field: "party_card_no",
        names: &[
            "Số thẻ đảng",
            "party_card_no",
            "Số thẻ đảng viên",
            "Thẻ đảng",
        ],
        required: false,
    },
    Column {
        field: "admitted_on",
        names: &["Ngày vào Đảng", "admitted_on", "Ngày kết nạp"],
        required: false,
    },
    Column {
        field: "official_on",
        names: &["Ngày chính thức", "official_on"],
        required: false,
    },
    Column {
        field: "status",
        names: &["Trạng thái", "status", "Tình trạng"],
        required: false,
    },
    Column {
        field: "status_since",
        names: &["Ngày trạng thái", "status_since"],
        required: false,
    },
    Column {
        field: "org_code",
        names: &["Mã chi bộ", "org_code", "Chi bộ", "Mã tổ chức"],
        required: true,
    },
    Column {
        field: "joined_on",
        names: &["Ngày sinh hoạt", "joined_on", "Ngày chuyển đến"],
        required: false,
    },
];

/// The default ethnicity when the column is absent or empty (the large majority).
const DEFAULT_ETHNICITY: &str = "Kinh";

struct Cells<'a> {
    columns: &'a Columns,
    row: &'a Row,
    record: String,
}

impl Cells<'_> {
    fn error(&self, field: &str, message: String) -> InterchangeError {
        InterchangeError::field(self.row.line, &self.record, field, message)
    }

    fn text(&self, field: &str) -> Option<String> {
        self.columns.get(self.row, field).map(str::to_owned)
    }

    fn date(&self, field: &str) -> InterchangeResult<Option<Date>> {
        match self.columns.get(self.row, field) {
            None => Ok(None),
            Some(raw) => values::date(raw).map(Some).ok_or_else(|| {
                self.error(
                    field,
                    format!("`{raw}` is not a date (dd/mm/yyyy or yyyy-mm-dd)"),
                )
            }),
        }
    }

    fn required_date(&self, field: &str) -> InterchangeResult<Date> {
        self.date(field)?
            .ok_or_else(|| self.error(field, "is empty".into()))
    }
}

/// Adds the members of `table` to their cells in one transaction. A bad row stops the
/// import before anything is written.
pub async fn import_members(
    store: &Store,
    table: &Table,
    progress: &dyn Progress,
) -> InterchangeResult<TableSummary> {
    let columns = Columns::map(&table.header, SPEC)?;
    let today = chrono::Local::now().date_naive();
    let rows: Vec<&Row> = table.rows.iter().filter(|r| !r.is_blank()).collect();
    progress.start("checking members", Some(rows.len() as u64));
    let mut cells_by_code: HashMap<String, i64> = HashMap::new();
    let mut seen_keys: HashMap<(MemberKey, String), usize> = HashMap::new();
    let mut planned: Vec<(usize, String, NewMember)> = Vec::with_capacity(rows.len());
    for row in rows {
        let name = columns.get(row, "full_name").unwrap_or_default();
        let c = Cells {
            columns: &columns,
            row,
            record: format!("member {name}"),
        };
        let raw_gender = c.text("gender").unwrap_or_default();
        let gender = values::gender(&raw_gender).ok_or_else(|| {
            c.error(
                "gender",
                format!("`{raw_gender}` is not Nam/Nữ (male/female)"),
            )
        })?;
        let identity = MemberIdentity {
            full_name: name.to_owned(),
            birth_date: c.required_date("birth_date")?,
            gender,
            ethnicity: c
                .text("ethnicity")
                .unwrap_or_else(|| DEFAULT_ETHNICITY.into()),
            citizen_id: c.text("citizen_id"),
            party_card_no: c.text("party_card_no"),
            admitted_on: c.date("admitted_on")?,
            official_on: c.date("official_on")?,
        };
        identity
            .validate(&c.record, today)
            .map_err(|e| InterchangeError::at_line(row.line, &c.record, e.into()))?;
        let status = match c.text("status") {
            Some(raw) => values::status(&raw)
                .ok_or_else(|| c.error("status", format!("`{raw}` is not a member status")))?,
            None if identity.official_on.is_some() => MemberStatus::Official,
            None => MemberStatus::Probationary,
        };
        if !status.is_active() {
            return Err(c.error(
                "status",
                format!(
                    "`{}`: only current members (probationary, official, exempt) can be imported",
                    status.as_str()
                ),
            ));
        }
        let status_since = match c.date("status_since")? {
            Some(d) => d,
            None => match status {
                MemberStatus::Official => identity.official_on.ok_or_else(|| {
                    c.error("official_on", "is needed for an official member".into())
                })?,
                MemberStatus::Probationary => identity.admitted_on.ok_or_else(|| {
                    c.error("admitted_on", "is needed for a probationary member".into())
                })?,
                _ => return Err(c.error("status_since", "is needed for an exempt member".into())),
            },
        };
        let joined_on = match c.date("joined_on")? {
            Some(d) => d,
            None => identity.admitted_on.ok_or_else(|| {
                c.error(
                    "joined_on",
                    "is empty and there is no admitted_on to use instead".into(),
                )
            })?,
        };
        for (field, date) in [("status_since", status_since), ("joined_on", joined_on)] {
            if date > today {
                return Err(c.error(field, format!("{date} is in the future")));
            }
        }
        let code = c.text("org_code").unwrap_or_default();
        let org_id = match cells_by_code.get(&code) {
            Some(id) => *id,
            None => {
                let org = match store.org_by_code(&Scope::all(), &code).await {
                    Ok(o) => o,
                    Err(StoreError::Domain(DomainError::NotFound { .. })) => {
                        return Err(
                            c.error("org_code", format!("no organization has the code `{code}`"))
                        );
                    }
                    Err(e) => return Err(e.into()),
                };
                if !org.kind.holds_members() || !org.is_active() {
                    return Err(c.error("org_code", format!("`{code}` is not an active cell")));
                }
                cells_by_code.insert(code, org.id);
                org.id
            }
        };
        for (key, field, value) in [
            (MemberKey::CitizenId, "citizen_id", &identity.citizen_id),
            (
                MemberKey::PartyCardNo,
                "party_card_no",
                &identity.party_card_no,
            ),
        ] {
            let Some(value) = value else { continue };
            if let Some(first) = seen_keys.insert((key, value.clone()), row.line) {
                return Err(c.error(field, format!("`{value}` is already on line {first}")));
            }
            if let Some(id) = store.member_id_by_key(key, value).await? {
                return Err(c.error(field, format!("`{value}` already belongs to member {id}")));
            }
        }
        planned.push((
            row.line,
            c.record.clone(),
            NewMember {
                identity,
                org_id,
                status,
                status_since,
                joined_on,
            },
        ));
        progress.advance(1);
    }
    progress.start("writing members", Some(planned.len() as u64));
    let actor = Actor::new(IMPORT_ACTOR);
    let scope = Scope::all();
    let mut tx = store.db.begin().await?;
    for (line, record, new) in &planned {
        store
            .create_member_in_tx(&mut tx, &actor, &scope, new)
            .await
            .map_err(|e| InterchangeError::at_line(*line, record, e))?;
        progress.advance(1);
    }
    tx.commit().await.map_err(StoreError::from)?;
    progress.finish();
    Ok(TableSummary {
        created: planned.len(),
    })
}
