//! The PDF report: the same document as the Word export, laid out on A4 pages with the
//! DejaVu Serif font embedded in the binary (it covers Vietnamese), plus charts of the yearly
//! figures drawn as vector graphics.
//!
//! Layout first produces pages of simple drawing operations; rendering then hands them to
//! krilla. Keeping the two apart makes the layout testable without parsing a PDF.

use grassroots_domain::figures::FigureValue;
use krilla::Document as PdfDocument;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, Stroke};
use krilla::text::{Font, TextDirection};

use crate::template::{Document, Row};
use crate::{Report, ReportError, ReportResult, format};

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const LEFT: f32 = 85.0;
const RIGHT: f32 = PAGE_W - 45.0;
const TOP: f32 = 57.0;
const BOTTOM: f32 = PAGE_H - 57.0;
const BODY: f32 = 11.5;
const LEADING: f32 = 1.45;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    Regular,
    Bold,
    Italic,
}

impl Face {
    fn bytes(self) -> &'static [u8] {
        match self {
            Face::Regular => dejavu::serif::regular(),
            Face::Bold => dejavu::serif::bold(),
            Face::Italic => dejavu::serif::italic(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Text {
        x: f32,
        y: f32,
        face: Face,
        size: f32,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<(u8, u8, u8)>,
    },
}

/// Text widths from the font's advance table.
struct Metrics {
    faces: [(Face, ttf_parser::Face<'static>); 3],
}

impl Metrics {
    fn new() -> ReportResult<Metrics> {
        let parse = |f: Face| {
            ttf_parser::Face::parse(f.bytes(), 0)
                .map(|p| (f, p))
                .map_err(|e| ReportError::Export(format!("font: {e}")))
        };
        Ok(Metrics {
            faces: [
                parse(Face::Regular)?,
                parse(Face::Bold)?,
                parse(Face::Italic)?,
            ],
        })
    }

    fn width(&self, face: Face, size: f32, text: &str) -> f32 {
        let Some((_, f)) = self.faces.iter().find(|(k, _)| *k == face) else {
            return 0.0;
        };
        let units = f32::from(f.units_per_em());
        text.chars()
            .map(|c| {
                f.glyph_index(c)
                    .and_then(|g| f.glyph_hor_advance(g))
                    .map(f32::from)
                    .unwrap_or(units * 0.5)
            })
            .sum::<f32>()
            * size
            / units
    }
}

/// Lays out pages of drawing operations.
struct Layout {
    metrics: Metrics,
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl Layout {
    fn new() -> ReportResult<Layout> {
        Ok(Layout {
            metrics: Metrics::new()?,
            pages: vec![Vec::new()],
            y: TOP,
        })
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn ensure(&mut self, height: f32) {
        if self.y + height > BOTTOM {
            self.pages.push(Vec::new());
            self.y = TOP;
        }
    }

    fn text(&mut self, x: f32, y: f32, face: Face, size: f32, text: &str) {
        self.ops().push(Op::Text {
            x,
            y,
            face,
            size,
            text: text.to_owned(),
        });
    }

    fn centered(&mut self, center: f32, y: f32, face: Face, size: f32, text: &str) {
        let w = self.metrics.width(face, size, text);
        self.text(center - w / 2.0, y, face, size, text);
    }

    /// Splits `text` into lines no wider than `width`.
    fn wrap(&self, face: Face, size: f32, text: &str, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if self.metrics.width(face, size, &candidate) > width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line = word.to_owned();
            } else {
                line = candidate;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    fn paragraph(&mut self, face: Face, size: f32, text: &str, indent: f32) {
        let lines = self.wrap(face, size, text, RIGHT - LEFT - indent);
        for (i, line) in lines.iter().enumerate() {
            self.ensure(size * LEADING);
            self.y += size * LEADING;
            let x = if i == 0 { LEFT + indent } else { LEFT };
            self.text(x, self.y, face, size, line);
        }
        self.y += size * 0.4;
    }

    fn table(&mut self, header: [&str; 4], rows: &[Row]) {
        let widths = [RIGHT - LEFT - 3.0 * 80.0, 80.0, 80.0, 80.0];
        let size = BODY - 1.5;
        let row_h = size * 1.9;
        let draw_row = |layout: &mut Layout, cells: [&str; 4], face: Face| {
            layout.ensure(row_h);
            let mut x = LEFT;
            for (i, (w, text)) in widths.iter().zip(cells).enumerate() {
                let y = layout.y;
                layout.ops().push(Op::Rect {
                    x,
                    y,
                    w: *w,
                    h: row_h,
                    fill: (face == Face::Bold).then_some((235, 235, 235)),
                });
                let tw = layout.metrics.width(face, size, text);
                let tx = if i == 0 { x + 4.0 } else { x + w - 4.0 - tw };
                layout.text(tx, layout.y + row_h - size * 0.6, face, size, text);
                x += w;
            }
            layout.y += row_h;
        };
        draw_row(self, header, Face::Bold);
        for r in rows {
            let label = fit(&self.metrics, &r.label, widths[0] - 8.0, size);
            draw_row(
                self,
                [&label, &r.value, &r.previous, &r.change],
                Face::Regular,
            );
        }
        self.y += 8.0;
    }

    /// A bar chart of one figure per category (a year, a classification level).
    fn chart(&mut self, title: &str, points: &[(String, f64)], percent: bool) {
        let height = 150.0;
        self.ensure(height + 40.0);
        self.y += BODY * LEADING;
        self.text(LEFT, self.y, Face::Bold, BODY, title);
        let top = self.y + 10.0;
        let base = top + height;
        let max = points
            .iter()
            .map(|(_, v)| *v)
            .fold(0.0_f64, f64::max)
            .max(1e-9);
        let slot = (RIGHT - LEFT) / points.len().max(1) as f32;
        self.ops().push(Op::Rect {
            x: LEFT,
            y: base,
            w: RIGHT - LEFT,
            h: 0.6,
            fill: Some((0, 0, 0)),
        });
        for (i, (category, v)) in points.iter().enumerate() {
            let h = (v / max) as f32 * (height - 20.0);
            let x = LEFT + slot * i as f32 + slot * 0.2;
            self.ops().push(Op::Rect {
                x,
                y: base - h,
                w: slot * 0.6,
                h,
                fill: Some((178, 34, 34)),
            });
            let label = if percent {
                format::value(FigureValue::Ratio(*v))
            } else {
                format::thousands(*v as i64)
            };
            let center = x + slot * 0.3;
            self.centered(center, base - h - 3.0, Face::Regular, BODY - 3.0, &label);
            self.centered(center, base + BODY, Face::Regular, BODY - 2.0, category);
        }
        self.y = base + BODY * 2.0;
    }
}

/// Shortens `text` with an ellipsis to fit `width`.
fn fit(metrics: &Metrics, text: &str, width: f32, size: f32) -> String {
    if metrics.width(Face::Regular, size, text) <= width {
        return text.to_owned();
    }
    let mut out: String = text.to_owned();
    while !out.is_empty() && metrics.width(Face::Regular, size, &format!("{out}…")) > width {
        out.pop();
    }
    format!("{out}…")
}

/// Figures charted per year when the report holds them.
const CHARTS: &[(&str, &str, bool)] = &[
    ("members.admitted", "Kết nạp đảng viên theo năm", false),
    (
        "meetings.attendance.rate",
        "Tỷ lệ đảng viên dự sinh hoạt theo năm",
        true,
    ),
    ("members.total", "Số đảng viên cuối mỗi năm", false),
];

/// Lays the document out on pages.
pub fn layout(doc: &Document, report: &Report) -> ReportResult<Vec<Vec<Op>>> {
    let mut l = Layout::new()?;
    let left_center = LEFT + 90.0;
    let right_center = RIGHT - 125.0;
    let y = TOP + BODY;
    l.centered(left_center, y, Face::Regular, BODY, &doc.superior);
    l.centered(left_center, y + 16.0, Face::Bold, BODY, &doc.issuer);
    l.centered(left_center, y + 32.0, Face::Regular, BODY, "*");
    l.centered(left_center, y + 48.0, Face::Regular, BODY, &doc.number);
    l.centered(right_center, y, Face::Bold, BODY + 1.0, &doc.motto);
    let motto_w = l.metrics.width(Face::Bold, BODY + 1.0, &doc.motto);
    l.ops().push(Op::Rect {
        x: right_center - motto_w / 2.0,
        y: y + 3.0,
        w: motto_w,
        h: 0.7,
        fill: Some((0, 0, 0)),
    });
    l.centered(
        right_center,
        y + 22.0,
        Face::Italic,
        BODY,
        &doc.place_and_date,
    );
    l.y = y + 80.0;
    l.centered(PAGE_W / 2.0 + 20.0, l.y, Face::Bold, BODY + 4.0, &doc.title);
    l.y += 6.0;
    for line in l.wrap(Face::Bold, BODY, &doc.subject, RIGHT - LEFT) {
        l.y += BODY * LEADING;
        l.centered(PAGE_W / 2.0 + 20.0, l.y, Face::Bold, BODY, &line);
    }
    l.y += 10.0;
    for section in &doc.sections {
        l.ensure(BODY * 4.0);
        l.paragraph(Face::Bold, BODY, &section.heading, 0.0);
        for p in &section.paragraphs {
            l.paragraph(Face::Regular, BODY, p, 28.0);
        }
        if !section.rows.is_empty() {
            l.y += 4.0;
            l.table(
                ["Chỉ tiêu", "Kỳ này", "Kỳ trước", "Tăng/giảm"],
                &section.rows,
            );
        }
    }
    if report.years.len() > 1 {
        for (key, title, percent) in CHARTS {
            let points: Vec<(String, f64)> = report
                .years
                .iter()
                .filter_map(|y| Some((y.year.to_string(), y.plotted(key)?)))
                .collect();
            if !points.is_empty() {
                l.chart(title, &points, *percent);
            }
        }
    }
    // The classification distribution of the review year, members and organizations.
    for c in super::chart::distribution(report) {
        let points: Vec<(String, f64)> = c
            .categories
            .iter()
            .cloned()
            .zip(c.values.iter().map(|v| v.unwrap_or(0.0)))
            .collect();
        l.chart(&c.title, &points, false);
    }
    l.ensure(90.0);
    l.y += 24.0;
    let sig_y = l.y;
    for (i, r) in doc.recipients.iter().enumerate() {
        l.text(LEFT, sig_y + 14.0 * i as f32, Face::Italic, BODY - 2.0, r);
    }
    l.centered(right_center, sig_y, Face::Bold, BODY, &doc.signature_role);
    l.centered(
        right_center,
        sig_y + 16.0,
        Face::Bold,
        BODY,
        &doc.signature_title,
    );
    Ok(l.pages)
}

/// Renders laid-out pages into a PDF file.
pub fn render(pages: &[Vec<Op>]) -> ReportResult<Vec<u8>> {
    let font = |face: Face| {
        Font::new(face.bytes().to_vec().into(), 0)
            .ok_or_else(|| ReportError::Export("the embedded font cannot be read".into()))
    };
    let fonts = [
        (Face::Regular, font(Face::Regular)?),
        (Face::Bold, font(Face::Bold)?),
        (Face::Italic, font(Face::Italic)?),
    ];
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
        .ok_or_else(|| ReportError::Export("page size".into()))?;
    let mut document = PdfDocument::new();
    for ops in pages {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for op in ops {
            match op {
                Op::Text {
                    x,
                    y,
                    face,
                    size,
                    text,
                } => {
                    if let Some((_, f)) = fonts.iter().find(|(k, _)| k == face) {
                        surface.set_fill(Some(Fill::default()));
                        surface.draw_text(
                            Point::from_xy(*x, *y),
                            f.clone(),
                            *size,
                            text,
                            false,
                            TextDirection::Auto,
                        );
                    }
                }
                Op::Rect { x, y, w, h, fill } => {
                    let Some(rect) = Rect::from_xywh(*x, *y, w.max(0.01), h.max(0.01)) else {
                        continue;
                    };
                    let mut pb = PathBuilder::new();
                    pb.push_rect(rect);
                    let Some(path) = pb.finish() else { continue };
                    match fill {
                        Some((r, g, b)) => {
                            surface.set_stroke(None);
                            surface.set_fill(Some(Fill {
                                paint: rgb::Color::new(*r, *g, *b).into(),
                                opacity: NormalizedF32::ONE,
                                rule: FillRule::default(),
                            }));
                        }
                        None => {
                            surface.set_fill(None);
                            surface.set_stroke(Some(Stroke {
                                width: 0.5,
                                ..Stroke::default()
                            }));
                        }
                    }
                    surface.draw_path(&path);
                    surface.set_stroke(None);
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| ReportError::Export(format!("pdf: {e:?}")))
}

pub fn document(doc: &Document, report: &Report) -> ReportResult<Vec<u8>> {
    render(&layout(doc, report)?)
}
