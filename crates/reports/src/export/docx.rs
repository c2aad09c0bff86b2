//! The Word report: an Office Open XML package written directly (a zip of a few XML parts),
//! laid out in the party's administrative document format from the template.

use std::io::Write;

use zip::write::SimpleFileOptions;

use super::chart;
use crate::template::Document;
use crate::{Report, ReportError, ReportResult, format};

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>{charts}</Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>{charts}</Relationships>"#;

/// Times New Roman 14 pt, the usual face of administrative documents.
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="28"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="60" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="table" w:styleId="Grid"><w:name w:val="Grid"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/><w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/><w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders></w:tblPr></w:style></w:styles>"#;

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[derive(Default, Clone, Copy)]
struct Run {
    bold: bool,
    italic: bool,
    underline: bool,
    size: Option<u32>,
}

fn run(text: &str, style: Run) -> String {
    let mut props = String::new();
    if style.bold {
        props.push_str("<w:b/>");
    }
    if style.italic {
        props.push_str("<w:i/>");
    }
    if style.underline {
        props.push_str(r#"<w:u w:val="single"/>"#);
    }
    if let Some(size) = style.size {
        props.push_str(&format!(r#"<w:sz w:val="{size}"/>"#));
    }
    format!(
        r#"<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{}</w:t></w:r>"#,
        esc(text)
    )
}

fn para(align: &str, indent: bool, runs: &[String]) -> String {
    let ind = if indent {
        r#"<w:ind w:firstLine="567"/>"#
    } else {
        ""
    };
    format!(
        r#"<w:p><w:pPr><w:jc w:val="{align}"/>{ind}</w:pPr>{}</w:p>"#,
        runs.concat()
    )
}

fn cell(width: u32, paragraphs: &[String]) -> String {
    format!(
        r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{}</w:tc>"#,
        if paragraphs.is_empty() {
            "<w:p/>".to_owned()
        } else {
            paragraphs.concat()
        }
    )
}

/// A two-column table without borders, for the header and the signature block.
fn layout_table(left: &[String], right: &[String]) -> String {
    format!(
        r#"<w:tbl><w:tblPr><w:tblW w:w="9600" w:type="dxa"/><w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders></w:tblPr><w:tblGrid><w:gridCol w:w="4300"/><w:gridCol w:w="5300"/></w:tblGrid><w:tr>{}{}</w:tr></w:tbl>"#,
        cell(4300, left),
        cell(5300, right)
    )
}

fn figures_table(rows: &[crate::template::Row]) -> String {
    let widths = [4800, 1600, 1600, 1600];
    let header = ["Chỉ tiêu", "Kỳ này", "Kỳ trước", "Tăng/giảm"];
    let bold = Run {
        bold: true,
        size: Some(24),
        ..Run::default()
    };
    let small = Run {
        size: Some(24),
        ..Run::default()
    };
    let mut xml = String::from(
        r#"<w:tbl><w:tblPr><w:tblStyle w:val="Grid"/><w:tblW w:w="9600" w:type="dxa"/></w:tblPr><w:tblGrid><w:gridCol w:w="4800"/><w:gridCol w:w="1600"/><w:gridCol w:w="1600"/><w:gridCol w:w="1600"/></w:tblGrid>"#,
    );
    // The header row repeats on every page of a long table; no row breaks across pages
    // (LibreOffice otherwise leaves an empty strip of a split row at the top of a page).
    xml.push_str("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
    for (w, h) in widths.iter().zip(header) {
        xml.push_str(&cell(*w, &[para("center", false, &[run(h, bold)])]));
    }
    xml.push_str("</w:tr>");
    for r in rows {
        xml.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        xml.push_str(&cell(
            widths[0],
            &[para("left", false, &[run(&r.label, small)])],
        ));
        for (w, v) in widths[1..].iter().zip([&r.value, &r.previous, &r.change]) {
            xml.push_str(&cell(*w, &[para("right", false, &[run(v, small)])]));
        }
        xml.push_str("</w:tr>");
    }
    xml.push_str("</w:tbl>");
    xml
}

/// The body XML of the document.
pub fn document_xml(doc: &Document, report: &Report) -> String {
    let plain = Run::default();
    let bold = Run {
        bold: true,
        ..plain
    };
    let mut body = String::new();
    body.push_str(&layout_table(
        &[
            para("center", false, &[run(&doc.superior, plain)]),
            para("center", false, &[run(&doc.issuer, bold)]),
            para("center", false, &[run("*", plain)]),
            para("center", false, &[run(&doc.number, plain)]),
        ],
        &[
            para(
                "center",
                false,
                &[run(
                    &doc.motto,
                    Run {
                        bold: true,
                        underline: true,
                        ..plain
                    },
                )],
            ),
            para(
                "center",
                false,
                &[run(
                    &doc.place_and_date,
                    Run {
                        italic: true,
                        ..plain
                    },
                )],
            ),
        ],
    ));
    body.push_str(&para("center", false, &[]));
    body.push_str(&para(
        "center",
        false,
        &[run(
            &doc.title,
            Run {
                bold: true,
                size: Some(32),
                ..plain
            },
        )],
    ));
    body.push_str(&para("center", false, &[run(&doc.subject, bold)]));
    for section in &doc.sections {
        body.push_str(&para("left", false, &[run(&section.heading, bold)]));
        for p in &section.paragraphs {
            body.push_str(&para("both", true, &[run(p, plain)]));
        }
        if !section.rows.is_empty() {
            body.push_str(&figures_table(&section.rows));
            body.push_str(&para("left", false, &[]));
        }
    }
    if report.years.len() > 1 {
        body.push_str(&para("left", false, &[run("Diễn biến theo năm", bold)]));
        let rows: Vec<crate::template::Row> = report
            .years
            .iter()
            .map(|y| {
                // A year without attendance marks has no rate: a dash.
                let get = |k: &str| match (y.figures.iter().find(|f| f.key == k), y.plotted(k)) {
                    (Some(f), Some(_)) => format::value(f.value),
                    (Some(_), None) => "–".to_owned(),
                    (None, _) => String::new(),
                };
                crate::template::Row {
                    label: format!("Năm {}", y.year),
                    value: get("members.total"),
                    previous: get("members.admitted"),
                    change: get("meetings.attendance.rate"),
                }
            })
            .collect();
        let mut table = figures_table(&rows);
        table = table
            .replacen("Kỳ này", "Đảng viên", 1)
            .replacen("Kỳ trước", "Kết nạp", 1)
            .replacen("Tăng/giảm", "Tỷ lệ dự sinh hoạt", 1);
        body.push_str(&table);
        for (i, c) in chart::trends(report).iter().enumerate() {
            body.push_str(&para("left", false, &[]));
            body.push_str(&chart::inline(i + 1, &c.title));
        }
    }
    // The distribution charts are numbered after the trend charts, as `document` writes them.
    let first = chart::trends(report).len();
    for (i, c) in chart::distribution(report).iter().enumerate() {
        body.push_str(&para("left", false, &[]));
        body.push_str(&chart::inline(first + i + 1, &c.title));
    }
    body.push_str(&para("left", false, &[]));
    let small_italic = Run {
        italic: true,
        size: Some(22),
        ..plain
    };
    body.push_str(&layout_table(
        &doc.recipients
            .iter()
            .map(|r| para("left", false, &[run(r, small_italic)]))
            .collect::<Vec<_>>(),
        &[
            para("center", false, &[run(&doc.signature_role, bold)]),
            para("center", false, &[run(&doc.signature_title, bold)]),
        ],
    ));
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="851" w:bottom="1134" w:left="1701" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>"#
    )
}

pub fn document(doc: &Document, report: &Report) -> ReportResult<Vec<u8>> {
    let mut buffer = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buffer);
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let mut charts = chart::trends(report);
        charts.extend(chart::distribution(report));
        let mut types = String::new();
        let mut rels = String::new();
        let mut chart_parts = Vec::new();
        for (i, c) in charts.iter().enumerate() {
            let n = i + 1;
            types.push_str(&format!(
                r#"<Override PartName="/word/charts/chart{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/>"#
            ));
            rels.push_str(&format!(
                r#"<Relationship Id="rIdChart{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart" Target="charts/chart{n}.xml"/>"#
            ));
            chart_parts.push((format!("word/charts/chart{n}.xml"), chart::part(c)));
        }
        let mut parts: Vec<(String, String)> = vec![
            (
                "[Content_Types].xml".into(),
                CONTENT_TYPES.replace("{charts}", &types),
            ),
            ("_rels/.rels".into(), ROOT_RELS.to_owned()),
            (
                "word/_rels/document.xml.rels".into(),
                DOCUMENT_RELS.replace("{charts}", &rels),
            ),
            ("word/styles.xml".into(), STYLES.to_owned()),
            ("word/document.xml".into(), document_xml(doc, report)),
        ];
        parts.extend(chart_parts);
        for (name, content) in parts {
            zip.start_file(name.as_str(), options)
                .map_err(|e| ReportError::Export(e.to_string()))?;
            zip.write_all(content.as_bytes())
                .map_err(|e| ReportError::Export(e.to_string()))?;
        }
        zip.finish()
            .map_err(|e| ReportError::Export(e.to_string()))?;
    }
    Ok(buffer.into_inner())
}
