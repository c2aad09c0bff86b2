//! The editable report template and the document it lays out. The same document model feeds
//! the Word and PDF exports, so both carry the same content.

use serde::Deserialize;

use crate::{Report, ReportError, ReportResult, format};

const DEFAULT_TEMPLATE: &str = include_str!("../templates/report-vi.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub place: String,
    pub superior: String,
    pub issuer: String,
    pub number: String,
    pub motto: String,
    pub title: String,
    pub subject: String,
    pub signature_role: String,
    pub signature_title: String,
    pub recipients: Vec<String>,
    pub sections: Vec<SectionTemplate>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionTemplate {
    pub heading: String,
    pub paragraphs: Vec<String>,
    /// Key prefixes of the figures listed in the section's table.
    pub figures: Vec<String>,
}

impl Template {
    pub fn default_vi() -> ReportResult<Template> {
        Template::parse(DEFAULT_TEMPLATE)
    }

    pub fn parse(text: &str) -> ReportResult<Template> {
        toml::from_str(text).map_err(|e| ReportError::Template(e.to_string()))
    }
}

/// A row of a section's table: label, value, previous value, change.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub label: String,
    pub value: String,
    pub previous: String,
    pub change: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub rows: Vec<Row>,
}

/// A report laid out as an administrative document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub superior: String,
    pub issuer: String,
    pub number: String,
    pub motto: String,
    pub place_and_date: String,
    pub title: String,
    pub subject: String,
    pub sections: Vec<Section>,
    pub signature_role: String,
    pub signature_title: String,
    pub recipients: Vec<String>,
}

/// The place name of an organization for the date line: its name without the committee and
/// administrative-unit words ("Đảng bộ thị xã La Gi" → "La Gi").
pub fn place_from_name(name: &str) -> String {
    const PREFIXES: [&str; 13] = [
        "Đảng bộ ",
        "Đảng ủy ",
        "Chi bộ ",
        "Đảng bộ cơ sở ",
        "thị xã ",
        "thành phố ",
        "tỉnh ",
        "huyện ",
        "quận ",
        "phường ",
        "xã ",
        "thị trấn ",
        "đặc khu ",
    ];
    let mut rest = name.trim();
    while let Some(stripped) = PREFIXES.iter().find_map(|p| {
        rest.strip_prefix(p).or_else(|| {
            rest.to_lowercase()
                .starts_with(&p.to_lowercase())
                .then(|| &rest[p.len()..])
        })
    }) {
        rest = stripped.trim_start();
    }
    if rest.is_empty() {
        name.to_owned()
    } else {
        rest.to_owned()
    }
}

/// Fills `{…}` placeholders; `None` when one names nothing the report holds.
fn fill(text: &str, report: &Report, today: grassroots_domain::date::Date) -> Option<String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}')? + start;
        let key = &rest[start + 1..end];
        let value = match key {
            "org.name" => report.org.name.clone(),
            "org.place" => place_from_name(&report.org.name),
            "org.code" => report.org.code.clone(),
            "superior.name" => report.superior_name.clone().unwrap_or_default(),
            "period.from" => format::date(report.period.from),
            "period.to" => format::date(report.period.to),
            "today" => format::date(today),
            _ => {
                let shown = report.shown(report.get(key)?);
                shown.value.map_or_else(|| "–".to_owned(), format::value)
            }
        };
        out.push_str(&value);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// Lays `report` out with `template`. Headers that name missing values come out empty;
/// paragraphs that name missing figures are left out; sections with nothing are left out.
pub fn layout(
    report: &Report,
    template: &Template,
    today: grassroots_domain::date::Date,
) -> Document {
    let text = |t: &str| fill(t, report, today).unwrap_or_default();
    let sections = template
        .sections
        .iter()
        .filter_map(|s| {
            let paragraphs: Vec<String> = s
                .paragraphs
                .iter()
                .filter_map(|p| fill(p, report, today))
                .collect();
            let rows: Vec<Row> = report
                .lines
                .iter()
                .filter(|l| {
                    s.figures
                        .iter()
                        .any(|prefix| l.key.starts_with(prefix.as_str()))
                })
                .map(|l| {
                    let [value, previous, change] =
                        format::cells(report.shown(l), l.previous.is_some());
                    Row {
                        label: crate::contract::label_vi(&l.key),
                        value,
                        previous,
                        change,
                    }
                })
                .collect();
            (!paragraphs.is_empty() || !rows.is_empty()).then(|| Section {
                heading: text(&s.heading),
                paragraphs,
                rows,
            })
        })
        .collect();
    Document {
        superior: text(&template.superior).to_uppercase(),
        issuer: text(&template.issuer).to_uppercase(),
        number: text(&template.number),
        motto: text(&template.motto),
        place_and_date: format::place_and_date(&text(&template.place), today),
        title: text(&template.title),
        subject: text(&template.subject),
        sections,
        signature_role: text(&template.signature_role),
        signature_title: text(&template.signature_title),
        recipients: template.recipients.iter().map(|r| text(r)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_template_parses() {
        let t = Template::default_vi().unwrap();
        assert!(t.sections.len() >= 3);
        assert!(Template::parse("place = 1").is_err());
    }

    #[test]
    fn places_come_from_names() {
        assert_eq!(place_from_name("Đảng bộ thị xã La Gi"), "La Gi");
        assert_eq!(place_from_name("Đảng bộ phường Phước Hội"), "Phước Hội");
        assert_eq!(place_from_name("Chi bộ Công an thị xã"), "Công an thị xã");
        assert_eq!(place_from_name("Đảng bộ"), "Đảng bộ");
    }
}
