//! A cell's monthly dues sheet as an Excel workbook (sổ thu đảng phí), for the cell
//! treasurer to print or pass up to the committee.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::dues::DuesSheet;

const HEADERS: [&str; 12] = [
    "STT",
    "Họ và tên",
    "Trạng thái",
    "Loại thu nhập",
    "Mức lương/lương hưu (VND)",
    "Căn cứ",
    "Mức đảng phí (VND)",
    "Miễn/giảm",
    "Phải nộp (VND)",
    "Đã nộp (VND)",
    "Còn nợ (VND)",
    "Tháng chưa nộp trong năm",
];

/// The sheet as the bytes of an `.xlsx` file.
pub fn dues_sheet_xlsx(sheet: &DuesSheet) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let ws = workbook.add_worksheet();
    ws.set_name(format!("Dang phi {}", sheet.month))?;
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0");
    ws.write_string_with_format(
        0,
        0,
        format!(
            "SỔ THU ĐẢNG PHÍ THÁNG {} — {} ({})",
            sheet.month, sheet.org_name, sheet.org_code
        ),
        &bold,
    )?;
    for (col, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(2, col as u16, *h, &bold)?;
    }
    let mut row = 3u32;
    for (i, r) in sheet.rows.iter().enumerate() {
        ws.write_number(row, 0, (i + 1) as f64)?;
        ws.write_string(row, 1, &r.full_name)?;
        ws.write_string(row, 2, &r.status)?;
        match &r.line.dues {
            Some(d) => {
                ws.write_string(row, 3, d.income.kind.as_str())?;
                ws.write_number_with_format(row, 4, d.income.base_vnd as f64, &money)?;
                ws.write_string(row, 5, &d.source)?;
                ws.write_number_with_format(row, 6, d.gross_vnd as f64, &money)?;
                let relief = match (d.exemption, d.reduction_percent) {
                    (Some(e), _) => format!("miễn ({})", e.as_str()),
                    (None, 0) => String::new(),
                    (None, p) => format!("giảm {p}%"),
                };
                ws.write_string(row, 7, relief)?;
            }
            None => {
                ws.write_string(row, 3, "chưa kê khai thu nhập")?;
            }
        }
        ws.write_number_with_format(row, 8, r.line.due_vnd() as f64, &money)?;
        ws.write_number_with_format(row, 9, r.line.paid_vnd as f64, &money)?;
        ws.write_number_with_format(row, 10, r.line.owed_vnd() as f64, &money)?;
        let unpaid: Vec<String> = r
            .unpaid_months_in_year
            .iter()
            .map(|m| m.to_string())
            .collect();
        let mut note = unpaid.join(", ");
        if r.removal_alert {
            note.push_str(" — đề nghị xem xét xóa tên (Điều 8 Điều lệ)");
        }
        ws.write_string(row, 11, note)?;
        row += 1;
    }
    ws.write_string_with_format(row, 1, "Cộng", &bold)?;
    ws.write_number_with_format(row, 8, sheet.total_due_vnd as f64, &money)?;
    ws.write_number_with_format(row, 9, sheet.total_paid_vnd as f64, &money)?;
    ws.write_number_with_format(
        row,
        10,
        sheet.total_due_vnd.saturating_sub(sheet.total_paid_vnd) as f64,
        &money,
    )?;
    ws.set_column_width(1, 28)?;
    for col in 3..=11u16 {
        ws.set_column_width(col, 16)?;
    }
    workbook.save_to_buffer()
}
