//! The `[documents]` section of the rulebook: type codes, issuer codes and congress terms.

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::date::Date;
use crate::org::OrgKind;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRules {
    pub types: Vec<TypeCode>,
    pub issuers: Vec<IssuerCode>,
    /// Oldest first.
    pub terms: Vec<Term>,
}

/// A document type: `CT` (Chỉ thị, directive), `KH` (Kế hoạch, plan), ...
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeCode {
    /// The canonical code, with Vietnamese letters (`QĐ`).
    pub code: String,
    /// The same typed without Vietnamese letters (`QD`).
    pub ascii: String,
    pub name: String,
    pub english: String,
    /// An older form, accepted when reading old documents.
    #[serde(default)]
    pub older: bool,
}

/// An issuer: `TW` (the Central Committee), `TU` (a provincial committee), ...
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuerCode {
    pub code: String,
    pub ascii: String,
    pub name: String,
    /// Organization kinds that issue under this code by default.
    #[serde(default)]
    pub kinds: Vec<String>,
}

/// A congress term (nhiệm kỳ), e.g. `2020–2025`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    pub name: String,
    pub from: Date,
    /// Issuer codes whose term starts on another day (the national congress).
    #[serde(default)]
    pub from_by_issuer: std::collections::BTreeMap<String, Date>,
}

impl Term {
    /// The day this term starts for documents of `issuer`.
    pub fn starts_for(&self, issuer: &str) -> Date {
        self.from_by_issuer
            .get(issuer)
            .copied()
            .unwrap_or(self.from)
    }
}

/// Upper case with `Đ` read as `D`: how a code typed without Vietnamese letters compares.
fn fold_code(raw: &str) -> String {
    raw.chars()
        .map(|c| match c {
            'Đ' | 'đ' => 'D',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

/// Finds a code by its canonical form, then its ASCII form, then either folded to upper
/// case, as long as the folded form names exactly one code.
fn lookup<'a, T>(items: &'a [T], raw: &str, code: fn(&T) -> (&str, &str)) -> Option<&'a T> {
    if let Some(hit) = items.iter().find(|t| code(t).0 == raw) {
        return Some(hit);
    }
    if let Some(hit) = items.iter().find(|t| code(t).1 == raw) {
        return Some(hit);
    }
    let folded = fold_code(raw);
    let mut hits = items
        .iter()
        .filter(|t| fold_code(code(t).0) == folded || fold_code(code(t).1) == folded);
    match (hits.next(), hits.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

impl DocumentRules {
    /// The type with this code (`QĐ`, `QD`, `qd` all name `QĐ`).
    pub fn type_code(&self, raw: &str) -> Option<&TypeCode> {
        lookup(&self.types, raw, |t| (&t.code, &t.ascii))
    }

    /// The issuer with this code (`ĐU`, `DU` both name `ĐU`).
    pub fn issuer_code(&self, raw: &str) -> Option<&IssuerCode> {
        lookup(&self.issuers, raw, |t| (&t.code, &t.ascii))
    }

    /// The issuer code an organization of `kind` signs with unless told otherwise.
    pub fn default_issuer(&self, kind: OrgKind) -> Option<&IssuerCode> {
        self.issuers
            .iter()
            .find(|i| i.kinds.iter().any(|k| k == kind.as_str()))
    }

    /// The congress term of `issuer` that `day` falls in.
    pub fn term_of(&self, issuer: &str, day: Date) -> Result<&Term, DomainError> {
        self.terms
            .iter()
            .filter(|t| t.starts_for(issuer) <= day)
            .max_by_key(|t| t.starts_for(issuer))
            .ok_or_else(|| {
                DomainError::invalid(
                    "document",
                    "issued_on",
                    format!(
                        "{day} is before the first congress term in the rulebook ({})",
                        self.terms
                            .first()
                            .map(|t| t.name.as_str())
                            .unwrap_or("none")
                    ),
                )
            })
    }

    /// Checks that codes are unique, also when folded, and terms are in order.
    pub fn validate(&self) -> Result<(), DomainError> {
        let mut seen = std::collections::BTreeSet::new();
        for (section, code, ascii) in self
            .types
            .iter()
            .map(|t| ("types", &t.code, &t.ascii))
            .chain(self.issuers.iter().map(|i| ("issuers", &i.code, &i.ascii)))
        {
            if code.is_empty() || code.contains(['-', '/', ' ']) {
                return Err(DomainError::invalid(
                    "rulebook documents",
                    section,
                    format!("`{code}` is not a usable code"),
                ));
            }
            if fold_code(code) != fold_code(ascii) {
                return Err(DomainError::invalid(
                    "rulebook documents",
                    section,
                    format!("`{ascii}` is not the ASCII form of `{code}`"),
                ));
            }
            if !seen.insert((section, fold_code(code))) {
                return Err(DomainError::invalid(
                    "rulebook documents",
                    section,
                    format!("`{code}` is listed twice"),
                ));
            }
        }
        if self.terms.windows(2).any(|w| w[0].from >= w[1].from) {
            return Err(DomainError::invalid(
                "rulebook documents",
                "terms",
                "terms must be listed oldest first",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::rulebook::Rulebook;

    fn rules() -> super::DocumentRules {
        Rulebook::in_force("2026-01-01".parse().unwrap())
            .unwrap()
            .documents
    }

    #[test]
    fn shipped_codes_are_valid() {
        rules().validate().unwrap();
    }

    #[test]
    fn codes_are_found_in_every_spelling() {
        let r = rules();
        assert_eq!(r.type_code("QĐ").unwrap().code, "QĐ");
        assert_eq!(r.type_code("QD").unwrap().code, "QĐ");
        assert_eq!(r.type_code("qd").unwrap().code, "QĐ");
        assert_eq!(r.type_code("QDi").unwrap().code, "QĐi");
        assert_eq!(r.type_code("CTr").unwrap().code, "CTr");
        assert_eq!(r.type_code("CT").unwrap().code, "CT");
        assert!(r.type_code("XX").is_none());
        assert_eq!(r.issuer_code("DUK").unwrap().code, "ĐUK");
        assert_eq!(r.issuer_code("đu").unwrap().code, "ĐU");
    }

    #[test]
    fn default_issuers_follow_the_org_kind() {
        use crate::org::OrgKind;
        let r = rules();
        assert_eq!(r.default_issuer(OrgKind::Central).unwrap().code, "TW");
        assert_eq!(r.default_issuer(OrgKind::Provincial).unwrap().code, "TU");
        assert_eq!(r.default_issuer(OrgKind::Commune).unwrap().code, "ĐU");
        assert_eq!(r.default_issuer(OrgKind::Cell).unwrap().code, "CB");
    }

    #[test]
    fn terms_start_later_for_the_national_congress() {
        let r = rules();
        let d = |s: &str| s.parse().unwrap();
        assert_eq!(r.term_of("TU", d("2020-10-15")).unwrap().name, "2020–2025");
        assert_eq!(r.term_of("TW", d("2020-10-15")).unwrap().name, "2015–2020");
        assert_eq!(r.term_of("TW", d("2024-06-14")).unwrap().name, "2020–2025");
        assert_eq!(r.term_of("TU", d("2025-06-01")).unwrap().name, "2025–2030");
        assert_eq!(r.term_of("TW", d("2025-06-01")).unwrap().name, "2020–2025");
        assert_eq!(r.term_of("TW", d("2026-02-01")).unwrap().name, "2025–2030");
        let err = r.term_of("TU", d("1990-01-01")).unwrap_err().to_string();
        assert!(err.contains("issued_on"), "{err}");
    }
}
