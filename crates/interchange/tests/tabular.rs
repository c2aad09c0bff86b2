#![allow(clippy::unwrap_used)] // Tests fail loudly by design.
//! CSV and XLSX import of organizations and members, with Vietnamese or English headers.
//! Runs on SQLite, and on PostgreSQL when GRASSROOTS_TEST_DATABASE_URL is set.

use grassroots_interchange::NoProgress;
use grassroots_interchange::tabular::{Table, import_members, import_orgs};
use grassroots_storage::members::{MemberQuery, MemberReader};
use grassroots_storage::orgs::OrgReader;
use grassroots_storage::rollup::subtree_counts;
use grassroots_storage::testing::fresh_store;
use grassroots_storage::{Scope, Store, audit};

const ORGS_CSV: &str = "\
STT,Mã,Tên,Loại,Mã cấp trên,Ngày thành lập
1,BT,Đảng bộ tỉnh Bình Thuận,Tỉnh ủy,,01/04/1992
2,LG.PH.1,Chi bộ Khu phố 1,Chi bộ,LG.PH,05/09/2005
3,LG,Đảng bộ thị xã La Gi,district,BT,2005-09-05
4,LG.PH,Đảng bộ phường Phước Hội,Đảng bộ cơ sở,LG,05/09/2005
5,LG.CB01,Chi bộ Văn phòng Thị ủy,Chi bộ cơ sở,LG,12/10/2006
";

async fn with_orgs() -> grassroots_storage::testing::TestStore {
    let store = fresh_store().await;
    let table = Table::from_csv(ORGS_CSV.as_bytes()).unwrap();
    let summary = import_orgs(&store, &table, &NoProgress).await.unwrap();
    assert_eq!(summary.created, 5);
    store
}

async fn member_count(store: &Store) -> usize {
    let q = MemberQuery {
        include_inactive: true,
        limit: 500,
        ..Default::default()
    };
    store
        .list_members(&Scope::all(), &q)
        .await
        .unwrap()
        .rows
        .len()
}

#[tokio::test]
async fn orgs_from_csv_parents_before_children() {
    let store = with_orgs().await;
    let cell = store.org_by_code(&Scope::all(), "LG.PH.1").await.unwrap();
    assert_eq!(cell.kind.as_str(), "cell");
    let committee = store.org_by_code(&Scope::all(), "LG.PH").await.unwrap();
    assert_eq!(cell.parent_id, Some(committee.id));
    let entries = audit::list(
        &store.db,
        &Scope::all(),
        Some(("org", &cell.id.to_string())),
        10,
    )
    .await
    .unwrap();
    assert_eq!(entries[0].actor, "cli:import");
    // Importing the same codes again is refused on the first row, naming the column.
    let table = Table::from_csv(ORGS_CSV.as_bytes()).unwrap();
    let err = import_orgs(&store, &table, &NoProgress)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("line 2 (organization BT): field \"code\""),
        "{err}"
    );
}

#[tokio::test]
async fn members_from_csv_with_vietnamese_headers() {
    let store = with_orgs().await;
    let csv = "\
Họ và tên;Ngày sinh;Giới tính;Dân tộc;Số CCCD;Số thẻ đảng;Ngày vào Đảng;Ngày chính thức;Trạng thái;Mã chi bộ;Ngày sinh hoạt;Ngày trạng thái
Nguyễn Văn An;02/09/1975;Nam;Kinh;060075000001;BT0000001;19/05/2000;19/05/2001;Chính thức;LG.PH.1;05/09/2005;
Đàng Thị Hoa;1990-03-08;Nữ;Chăm;060190000002;;03/02/2025;;Dự bị;LG.CB01;;
Lâm Quốc Hưng;15/01/1950;nam;Hoa;;;01/01/1975;01/01/1976;Miễn sinh hoạt;LG.CB01;01/01/2010;01/01/2015
";
    let table = Table::from_csv(csv.as_bytes()).unwrap();
    let summary = import_members(&store, &table, &NoProgress).await.unwrap();
    assert_eq!(summary.created, 2 + 1);
    let town = store.org_by_code(&Scope::all(), "LG").await.unwrap();
    let counts = subtree_counts(&store.db, town.id).await.unwrap();
    assert_eq!(counts.active_members(), 3);
    assert_eq!(counts.members_by_status.get("probationary"), Some(&1));
    assert_eq!(counts.members_by_status.get("exempt"), Some(&1));
    let found = store
        .list_members(
            &Scope::all(),
            &MemberQuery {
                text: Some("dang thi hoa".into()),
                limit: 5,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(found.rows.len(), 1);
    let entries = audit::list(
        &store.db,
        &Scope::all(),
        Some(("member", &found.rows[0].id.to_string())),
        5,
    )
    .await
    .unwrap();
    assert_eq!(entries[0].actor, "cli:import");
}

#[tokio::test]
async fn a_bad_row_writes_nothing_and_is_named() {
    let store = with_orgs().await;
    let csv = "\
full_name,birth_date,gender,citizen_id,admitted_on,official_on,org_code
Nguyễn Văn An,02/09/1975,male,060075000001,19/05/2000,19/05/2001,LG.PH.1
Trần Thị Bích,31/02/1980,female,060180000002,19/05/2005,19/05/2006,LG.PH.1
Lê Văn Cường,01/01/1981,male,060081000003,19/05/2005,19/05/2006,LG.PH.1
";
    let table = Table::from_csv(csv.as_bytes()).unwrap();
    let err = import_members(&store, &table, &NoProgress)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("line 3 (member Trần Thị Bích): field \"birth_date\""),
        "{err}"
    );
    assert_eq!(member_count(&store).await, 0);

    // A rule of the registry (age at admission) is named the same way.
    let csv = "\
full_name,birth_date,gender,admitted_on,official_on,org_code
Nguyễn Văn An,02/09/1975,male,19/05/2000,19/05/2001,LG.PH.1
Trần Thị Bích,01/01/2000,female,19/05/2005,19/05/2006,LG.PH.1
";
    let err = import_members(
        &store,
        &Table::from_csv(csv.as_bytes()).unwrap(),
        &NoProgress,
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with("line 3 (member Trần Thị Bích): field \"admitted_on\""),
        "{err}"
    );
    // So are a cell that does not exist and a duplicate within the file.
    let csv = "\
full_name,birth_date,gender,citizen_id,admitted_on,official_on,org_code
Nguyễn Văn An,02/09/1975,male,060075000001,19/05/2000,19/05/2001,LG.PH.9
";
    let err = import_members(
        &store,
        &Table::from_csv(csv.as_bytes()).unwrap(),
        &NoProgress,
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with("line 2 (member Nguyễn Văn An): field \"org_code\""),
        "{err}"
    );
    let csv = "\
full_name,birth_date,gender,citizen_id,admitted_on,official_on,org_code
Nguyễn Văn An,02/09/1975,male,060075000001,19/05/2000,19/05/2001,LG.PH.1
Nguyễn Văn Ân,02/09/1976,male,060075000001,19/05/2000,19/05/2001,LG.PH.1
";
    let err = import_members(
        &store,
        &Table::from_csv(csv.as_bytes()).unwrap(),
        &NoProgress,
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with("line 3 (member Nguyễn Văn Ân): field \"citizen_id\""),
        "{err}"
    );
    assert_eq!(member_count(&store).await, 0);

    // Organizations: a bad kind on row 3 writes none of the rows.
    let fresh = fresh_store().await;
    let csv = "code,name,kind,parent_code,founded_on\nBT,Tỉnh,provincial,,1992-04-01\nLG,Thị xã,huyện lỵ,BT,2005-09-05\n";
    let err = import_orgs(
        &fresh,
        &Table::from_csv(csv.as_bytes()).unwrap(),
        &NoProgress,
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with("line 3 (organization LG): field \"kind\""),
        "{err}"
    );
    assert!(
        grassroots_storage::restore::is_empty(&fresh.db)
            .await
            .unwrap()
    );
}

fn xlsx(rows: &[Vec<&str>], date_column: Option<usize>) -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if r > 0 && Some(c) == date_column {
                let date = ExcelDateTime::parse_from_str(cell).unwrap();
                sheet
                    .write_datetime_with_format(r as u32, c as u16, &date, &date_format)
                    .unwrap();
            } else {
                sheet.write_string(r as u32, c as u16, *cell).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

#[tokio::test]
async fn members_and_orgs_from_xlsx() {
    let store = with_orgs().await;
    let orgs = xlsx(
        &[
            vec!["Mã", "Tên", "Loại", "Mã cấp trên", "Ngày thành lập"],
            vec![
                "LG.PH.2",
                "Chi bộ Khu phố 2",
                "Chi bộ trực thuộc",
                "LG.PH",
                "2007-03-01",
            ],
        ],
        Some(4),
    );
    let summary = import_orgs(&store, &Table::from_xlsx(orgs).unwrap(), &NoProgress)
        .await
        .unwrap();
    assert_eq!(summary.created, 1);
    let cell = store.org_by_code(&Scope::all(), "LG.PH.2").await.unwrap();
    assert_eq!(cell.founded_on.to_string(), "2007-03-01");

    let members = xlsx(
        &[
            vec![
                "HỌ VÀ TÊN",
                "Ngay sinh",
                "Gioi tinh",
                "Dân tộc",
                "So CCCD",
                "Ngày vào Đảng",
                "Ngày chính thức",
                "Mã chi bộ",
            ],
            vec![
                "Phạm Thị Thu Hà",
                "1988-07-27",
                "Nữ",
                "Kinh",
                "060188000009",
                "03/02/2012",
                "03/02/2013",
                "LG.PH.2",
            ],
            vec![
                "Mang Văn Thới",
                "1979-12-22",
                "Nam",
                "Ra Glai",
                "060079000010",
                "19/05/2004",
                "19/05/2005",
                "LG.PH.2",
            ],
        ],
        Some(1),
    );
    let summary = import_members(&store, &Table::from_xlsx(members).unwrap(), &NoProgress)
        .await
        .unwrap();
    assert_eq!(summary.created, 2);
    let counts = subtree_counts(&store.db, cell.id).await.unwrap();
    assert_eq!(counts.members_by_status.get("official"), Some(&2));

    // A bad row of a workbook is named by its spreadsheet row.
    let bad = xlsx(
        &[
            vec![
                "Họ và tên",
                "Ngày sinh",
                "Giới tính",
                "Mã chi bộ",
                "Ngày vào Đảng",
            ],
            vec!["Võ Minh Tuấn", "1990-01-01", "Nam", "LG.PH.2", "01/01/2015"],
            vec![
                "Võ Minh Khoa",
                "1991-01-01",
                "không rõ",
                "LG.PH.2",
                "01/01/2015",
            ],
        ],
        Some(1),
    );
    let err = import_members(&store, &Table::from_xlsx(bad).unwrap(), &NoProgress)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("line 3 (member Võ Minh Khoa): field \"gender\""),
        "{err}"
    );
    assert_eq!(member_count(&store).await, 2);
}
