//! The Excel workbook: one sheet per area with each figure beside the previous period, and a
//! trends sheet with a row per year and charts (members, admissions, attendance,
//! classification when the report holds them).

use grassroots_domain::classification::Level;
use grassroots_domain::figures::FigureValue;
use rust_xlsxwriter::{Chart, ChartType, Format, Workbook, Worksheet, XlsxError};

use crate::{Report, ReportError, ReportResult, contract, format};

/// Figures plotted per year, when present, with the chart type and title.
const TREND_CHARTS: &[(&str, ChartType, &str)] = &[
    ("members.total", ChartType::Column, "Đảng viên theo năm"),
    (
        "members.admitted",
        ChartType::Column,
        "Kết nạp đảng viên theo năm",
    ),
    (
        "meetings.attendance.rate",
        ChartType::Line,
        "Tỷ lệ dự sinh hoạt theo năm",
    ),
];

/// Figures whose latest year is shown as a distribution (pie), when present.
const DISTRIBUTION_PREFIX: &str = "classification.";

/// The distributions drawn as pies: the level keys' prefix and the chart's title.
const DISTRIBUTIONS: &[(&str, &str)] = &[
    ("classification.members.", "Xếp loại đảng viên"),
    ("classification.orgs.", "Xếp loại tổ chức cơ sở đảng"),
];

fn err(e: XlsxError) -> ReportError {
    ReportError::Export(e.to_string())
}

fn write_value(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    v: FigureValue,
    pct: &Format,
) -> Result<(), XlsxError> {
    match v {
        FigureValue::Count(n) | FigureValue::Vnd(n) => sheet.write_number(row, col, n as f64)?,
        FigureValue::Ratio(r) => sheet.write_number_with_format(row, col, r, pct)?,
    };
    Ok(())
}

pub fn workbook(report: &Report) -> ReportResult<Vec<u8>> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let pct = Format::new().set_num_format("0.0%");
    let title = Format::new().set_bold().set_font_size(14);

    for area in report.areas() {
        let sheet = book.add_worksheet();
        sheet.set_name(area).map_err(err)?;
        // Printed (or converted to PDF) one page wide, in landscape: the description column
        // would otherwise go to pages of its own.
        sheet.set_landscape();
        sheet.set_print_fit_to_pages(1, 0);
        sheet
            .write_string_with_format(0, 0, format!("{} — {}", report.org.name, area), &title)
            .map_err(err)?;
        sheet
            .write_string(
                1,
                0,
                format!(
                    "{} – {} (kỳ trước: {} – {})",
                    format::date(report.period.from),
                    format::date(report.period.to),
                    format::date(report.previous_period.from),
                    format::date(report.previous_period.to)
                ),
            )
            .map_err(err)?;
        for (col, head) in ["Chỉ tiêu", "Mã", "Kỳ này", "Kỳ trước", "Tăng/giảm", "Mô tả"]
            .iter()
            .enumerate()
        {
            sheet
                .write_string_with_format(3, col as u16, *head, &bold)
                .map_err(err)?;
        }
        let lines = report
            .lines
            .iter()
            .filter(|l| l.key.split('.').next() == Some(area));
        for (row, line) in (4u32..).zip(lines) {
            sheet
                .write_string(row, 0, contract::label_vi(&line.key))
                .map_err(err)?;
            sheet.write_string(row, 1, &line.key).map_err(err)?;
            let shown = report.shown(line);
            // A rate with nothing to divide by is a dash, not 0 %.
            for (col, value, had) in [
                (2, shown.value, true),
                (3, shown.previous, line.previous.is_some()),
            ] {
                match value {
                    Some(v) => write_value(sheet, row, col, v, &pct).map_err(err)?,
                    None if had => {
                        sheet.write_string(row, col, "–").map_err(err)?;
                    }
                    None => {}
                }
            }
            if let Some(c) = shown.change {
                write_value(sheet, row, 4, c, &pct).map_err(err)?;
            }
            sheet.write_string(row, 5, &line.description).map_err(err)?;
        }
        sheet.set_column_width(0, 34).map_err(err)?;
        sheet.set_column_width(1, 30).map_err(err)?;
        sheet.set_column_width(5, 80).map_err(err)?;
    }

    trends(&mut book, report, &bold, &pct)?;
    book.save_to_buffer().map_err(err)
}

fn trends(book: &mut Workbook, report: &Report, bold: &Format, pct: &Format) -> ReportResult<()> {
    const SHEET: &str = "Xu hướng";
    let keys: Vec<String> = {
        let mut keys: Vec<String> = TREND_CHARTS
            .iter()
            .map(|(k, _, _)| (*k).to_owned())
            .filter(|k| {
                report
                    .years
                    .iter()
                    .any(|y| y.figures.iter().any(|f| &f.key == k))
            })
            .collect();
        for y in &report.years {
            for f in &y.figures {
                if f.key.starts_with(DISTRIBUTION_PREFIX) && !keys.contains(&f.key) {
                    keys.push(f.key.clone());
                }
            }
        }
        keys
    };
    let sheet = book.add_worksheet();
    sheet.set_name(SHEET).map_err(err)?;
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet
        .write_string_with_format(0, 0, "Năm", bold)
        .map_err(err)?;
    for (i, key) in keys.iter().enumerate() {
        sheet
            .write_string_with_format(0, i as u16 + 1, contract::label_vi(key), bold)
            .map_err(err)?;
    }
    for (r, year) in report.years.iter().enumerate() {
        let row = r as u32 + 1;
        sheet
            .write_number(row, 0, f64::from(year.year))
            .map_err(err)?;
        for (i, key) in keys.iter().enumerate() {
            // A rate with nothing to divide by stays blank: the chart shows a gap there.
            if let Some(f) = year.figures.iter().find(|f| &f.key == key)
                && year.plotted(key).is_some()
            {
                write_value(sheet, row, i as u16 + 1, f.value, pct).map_err(err)?;
            }
        }
    }
    sheet.set_column_width(0, 8).map_err(err)?;
    for i in 0..keys.len() {
        sheet.set_column_width(i as u16 + 1, 26).map_err(err)?;
    }
    let last_row = report.years.len() as u32;
    let mut chart_row = last_row + 3;
    for (key, kind, name) in TREND_CHARTS {
        let Some(i) = keys.iter().position(|k| k == key) else {
            continue;
        };
        let col = i as u16 + 1;
        let mut chart = Chart::new(*kind);
        chart
            .add_series()
            .set_categories((SHEET, 1, 0, last_row, 0))
            .set_values((SHEET, 1, col, last_row, col))
            .set_name(*name);
        chart.title().set_name(*name);
        chart.legend().set_hidden();
        // Shares (0 to 1) read as percentages on the value axis, from 0 % to 100 %.
        if report
            .years
            .iter()
            .flat_map(|y| &y.figures)
            .any(|f| &f.key == key && matches!(f.value, FigureValue::Ratio(_)))
        {
            chart
                .y_axis()
                .set_num_format("0%")
                .set_min(0.0)
                .set_max(1.0);
        }
        sheet.insert_chart(chart_row, 0, &chart).map_err(err)?;
        chart_row += 16;
    }
    // The classification distribution: a pie per kind (members, grassroots organizations)
    // of the four level columns, in the row of the latest year with anyone classified.
    for (prefix, title) in DISTRIBUTIONS {
        let level_key = |l: Level| format!("{prefix}{}", l.as_str());
        let Some(first) = keys.iter().position(|k| *k == level_key(Level::Excellent)) else {
            continue;
        };
        let contiguous = Level::ALL
            .iter()
            .enumerate()
            .all(|(i, l)| keys.get(first + i) == Some(&level_key(*l)));
        let total = format!("{prefix}total");
        let latest = report.years.iter().rposition(|y| {
            y.figures
                .iter()
                .any(|f| f.key == total && f.value.as_f64() > 0.0)
        });
        let (true, Some(latest)) = (contiguous, latest) else {
            continue;
        };
        let row = latest as u32 + 1;
        let (from, to) = (first as u16 + 1, first as u16 + Level::ALL.len() as u16);
        let mut chart = Chart::new(ChartType::Pie);
        chart
            .add_series()
            .set_categories((SHEET, 0, from, 0, to))
            .set_values((SHEET, row, from, row, to))
            .set_name(*title);
        chart
            .title()
            .set_name(&format!("{title} năm {}", report.years[latest].year));
        sheet.insert_chart(chart_row, 0, &chart).map_err(err)?;
        chart_row += 16;
    }
    Ok(())
}
