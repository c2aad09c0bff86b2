//! DrawingML charts for the Word report, written directly like the rest of the package: one
//! chart part (`word/charts/chartN.xml`) per chart, referenced from the document by an
//! inline drawing. The values are carried in the chart's caches, which Word and LibreOffice
//! both draw from; no workbook is embedded.
//!
//! The charts are the trends the issue asks for (admissions per year, the attendance rate per
//! year) and the classification distribution of the review year: members and grassroots
//! organizations per level.

use grassroots_domain::classification::Level;

use crate::Report;
use crate::producers::classification::review_year;

/// How a chart draws its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Columns, one per year.
    Columns,
    /// A line with a marker per year.
    Line,
}

/// One chart: a title, a series name, and a value per category (year).
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub kind: Kind,
    pub title: String,
    pub series: String,
    pub categories: Vec<String>,
    /// One value per category; `None` leaves a gap (a year with nothing to measure).
    pub values: Vec<Option<f64>>,
    /// The number format of the values and of the value axis (for example `0` or `0.0`).
    pub format: String,
    /// A fixed maximum of the value axis (100 for a percentage).
    pub max: Option<f64>,
    /// The series colour, as RGB hex.
    pub colour: &'static str,
}

/// The trend charts of a report with more than one year: admissions and attendance rate.
pub fn trends(report: &Report) -> Vec<Chart> {
    if report.years.len() < 2 {
        return Vec::new();
    }
    let series = |key: &str, scale: f64| -> Vec<Option<f64>> {
        report
            .years
            .iter()
            .map(|y| y.plotted(key).map(|v| v * scale))
            .collect()
    };
    let categories: Vec<String> = report.years.iter().map(|y| y.year.to_string()).collect();
    vec![
        Chart {
            kind: Kind::Columns,
            title: "Kết nạp đảng viên theo năm".into(),
            series: "Đảng viên kết nạp".into(),
            categories: categories.clone(),
            values: series("members.admitted", 1.0),
            format: "0".into(),
            max: None,
            colour: "C00000",
        },
        Chart {
            kind: Kind::Line,
            title: "Tỷ lệ đảng viên dự sinh hoạt chi bộ theo năm (%)".into(),
            series: "Tỷ lệ dự sinh hoạt (%)".into(),
            categories,
            values: series("meetings.attendance.rate", 100.0),
            format: "0.0".into(),
            max: Some(100.0),
            colour: "1F4E79",
        },
    ]
}

/// The Vietnamese name of a classification level, as the review minutes write it.
pub fn level_vi(level: Level) -> &'static str {
    match level {
        Level::Excellent => "Hoàn thành xuất sắc",
        Level::Good => "Hoàn thành tốt",
        Level::Completed => "Hoàn thành",
        Level::NotCompleted => "Không hoàn thành",
    }
}

/// The classification distribution of the report's review year (the latest year whose
/// 31 December is in the period): one column chart for the members and one for the
/// grassroots organizations, each left out when nobody of its kind is classified.
pub fn distribution(report: &Report) -> Vec<Chart> {
    let Some(year) = review_year(report.period) else {
        return Vec::new();
    };
    let count = |key: String| report.get(&key).map(|l| l.value.as_f64()).unwrap_or(0.0);
    [
        ("members", "Xếp loại đảng viên", "Đảng viên", "1F4E79"),
        (
            "orgs",
            "Xếp loại tổ chức cơ sở đảng",
            "Tổ chức cơ sở đảng",
            "C00000",
        ),
    ]
    .into_iter()
    .filter(|(who, ..)| count(format!("classification.{who}.total")) > 0.0)
    .map(|(who, title, series, colour)| Chart {
        kind: Kind::Columns,
        title: format!("{title} năm {year}"),
        series: series.into(),
        categories: Level::ALL.iter().map(|l| level_vi(*l).to_owned()).collect(),
        values: Level::ALL
            .iter()
            .map(|l| Some(count(format!("classification.{who}.{}", l.as_str()))))
            .collect(),
        format: "0".into(),
        max: None,
        colour,
    })
    .collect()
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The column letter of a 0-based spreadsheet column (A, B, …), for the series references.
fn column(n: usize) -> char {
    char::from(b'A' + (n % 26) as u8)
}

/// The chart part (`c:chartSpace`).
pub fn part(chart: &Chart) -> String {
    let n = chart.categories.len();
    let last_row = n + 1;
    let mut categories = format!(r#"<c:ptCount val="{n}"/>"#);
    for (i, c) in chart.categories.iter().enumerate() {
        categories.push_str(&format!(r#"<c:pt idx="{i}"><c:v>{}</c:v></c:pt>"#, esc(c)));
    }
    let mut values = format!(
        r#"<c:formatCode>{}</c:formatCode><c:ptCount val="{n}"/>"#,
        esc(&chart.format)
    );
    // A year without a value has no point: the chart shows a gap there.
    for (i, v) in chart.values.iter().enumerate() {
        if let Some(v) = v {
            values.push_str(&format!(r#"<c:pt idx="{i}"><c:v>{v}</c:v></c:pt>"#));
        }
    }
    let fill = format!(
        r#"<a:solidFill><a:srgbClr val="{}"/></a:solidFill>"#,
        chart.colour
    );
    let (a, b) = (column(0), column(1));
    let series = format!(
        r#"<c:ser><c:idx val="0"/><c:order val="0"/><c:tx><c:strRef><c:f>Sheet1!${b}$1</c:f><c:strCache><c:ptCount val="1"/><c:pt idx="0"><c:v>{name}</c:v></c:pt></c:strCache></c:strRef></c:tx>{shape}<c:dLbls><c:numFmt formatCode="{format}" sourceLinked="0"/><c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr><c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1000"/></a:pPr><a:endParaRPr lang="vi-VN"/></a:p></c:txPr><c:dLblPos val="{position}"/><c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls><c:cat><c:strRef><c:f>Sheet1!${a}$2:${a}${last_row}</c:f><c:strCache>{categories}</c:strCache></c:strRef></c:cat><c:val><c:numRef><c:f>Sheet1!${b}$2:${b}${last_row}</c:f><c:numCache>{values}</c:numCache></c:numRef></c:val>{smooth}</c:ser>"#,
        name = esc(&chart.series),
        format = esc(&chart.format),
        shape = match chart.kind {
            Kind::Columns => format!(r#"<c:spPr>{fill}</c:spPr><c:invertIfNegative val="0"/>"#),
            Kind::Line => format!(
                r#"<c:spPr><a:ln w="28575" cap="rnd"><a:solidFill><a:srgbClr val="{c}"/></a:solidFill><a:round/></a:ln></c:spPr><c:marker><c:symbol val="circle"/><c:size val="7"/><c:spPr>{fill}</c:spPr></c:marker>"#,
                c = chart.colour
            ),
        },
        position = match chart.kind {
            Kind::Columns => "outEnd",
            Kind::Line => "t",
        },
        smooth = match chart.kind {
            Kind::Columns => "",
            Kind::Line => r#"<c:smooth val="0"/>"#,
        },
    );
    let plot = match chart.kind {
        Kind::Columns => format!(
            r#"<c:barChart><c:barDir val="col"/><c:grouping val="clustered"/><c:varyColors val="0"/>{series}<c:gapWidth val="80"/><c:axId val="1001"/><c:axId val="1002"/></c:barChart>"#
        ),
        Kind::Line => format!(
            r#"<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>{series}<c:marker val="1"/><c:axId val="1001"/><c:axId val="1002"/></c:lineChart>"#
        ),
    };
    let max = chart
        .max
        .map(|m| format!(r#"<c:max val="{m}"/>"#))
        .unwrap_or_default();
    let text = |size: u32, bold: bool| {
        format!(
            r#"<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{size}" b="{}"><a:latin typeface="Times New Roman"/></a:defRPr></a:pPr><a:endParaRPr lang="vi-VN"/></a:p></c:txPr>"#,
            u8::from(bold)
        )
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><c:lang val="vi-VN"/><c:roundedCorners val="0"/><c:chart><c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1200" b="1"/></a:pPr><a:r><a:rPr lang="vi-VN" sz="1200" b="1"><a:latin typeface="Times New Roman"/></a:rPr><a:t>{title}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>{plot}<c:catAx><c:axId val="1001"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="b"/><c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>{axis_text}<c:crossAx val="1002"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx><c:valAx><c:axId val="1002"/><c:scaling><c:orientation val="minMax"/>{max}<c:min val="0"/></c:scaling><c:delete val="0"/><c:axPos val="l"/><c:majorGridlines><c:spPr><a:ln w="6350"><a:solidFill><a:srgbClr val="D9D9D9"/></a:solidFill></a:ln></c:spPr></c:majorGridlines><c:numFmt formatCode="0" sourceLinked="0"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>{axis_text}<c:crossAx val="1001"/><c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx></c:plotArea><c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart><c:spPr><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill><a:ln><a:noFill/></a:ln></c:spPr></c:chartSpace>"#,
        title = esc(&chart.title),
        axis_text = text(1000, false),
    )
}

/// The inline drawing that places chart `n` (1-based, relationship `rIdChart{n}`) in the
/// document, across the text width.
pub fn inline(n: usize, title: &str) -> String {
    // The text width of an A4 page with the administrative margins (9,354 twips) in EMU.
    let (cx, cy) = (5_900_000, 2_950_000);
    format!(
        r#"<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="{n}" name="Chart {n}" descr="{title}"/><wp:cNvGraphicFramePr/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rIdChart{n}"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#,
        title = esc(title)
    )
}
