//! Six languages with Fluent: Vietnamese (the default), English, Swedish, Russian,
//! Norwegian Bokmål and Indonesian. The message files are embedded in the binary.

use std::collections::HashMap;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use grassroots_domain::date::Date;

/// A supported language: its code (cookie, user preference) and its own name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Language {
    pub code: &'static str,
    pub name: &'static str,
}

pub const LANGUAGES: [Language; 6] = [
    Language {
        code: "vi",
        name: "Tiếng Việt",
    },
    Language {
        code: "en",
        name: "English",
    },
    Language {
        code: "sv",
        name: "Svenska",
    },
    Language {
        code: "ru",
        name: "Русский",
    },
    Language {
        code: "nb",
        name: "Norsk bokmål",
    },
    Language {
        code: "id",
        name: "Bahasa Indonesia",
    },
];

/// The Fluent sources, one per language, in the order of [`LANGUAGES`].
pub const SOURCES: [(&str, &str); 6] = [
    ("vi", include_str!("../locales/vi/main.ftl")),
    ("en", include_str!("../locales/en/main.ftl")),
    ("sv", include_str!("../locales/sv/main.ftl")),
    ("ru", include_str!("../locales/ru/main.ftl")),
    ("nb", include_str!("../locales/nb/main.ftl")),
    ("id", include_str!("../locales/id/main.ftl")),
];

/// The language code if it is supported.
pub fn supported(code: &str) -> Option<&'static str> {
    LANGUAGES.iter().find(|l| l.code == code).map(|l| l.code)
}

/// The first supported language of an `Accept-Language` header.
pub fn from_accept_language(header: &str) -> Option<&'static str> {
    header.split(',').find_map(|part| {
        let tag = part
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let primary = tag.split('-').next().unwrap_or("");
        // Norwegian without a script ("no") is read as Bokmål.
        let primary = if primary == "no" { "nb" } else { primary };
        supported(primary)
    })
}

/// A date in the form its readers expect.
pub fn format_date(date: Date, lang: &str) -> String {
    let pattern = match lang {
        "vi" | "id" | "en" => "%d/%m/%Y",
        "ru" | "nb" => "%d.%m.%Y",
        _ => "%Y-%m-%d",
    };
    date.format(pattern).to_string()
}

/// Every language's bundle, built once at start.
pub struct I18n {
    bundles: HashMap<&'static str, FluentBundle<FluentResource>>,
}

impl std::fmt::Debug for I18n {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("I18n")
            .field("languages", &self.bundles.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl I18n {
    /// Parses every embedded file. A syntax error is a build defect, reported with the file.
    pub fn load() -> anyhow::Result<I18n> {
        let mut bundles = HashMap::new();
        for (code, source) in SOURCES {
            let resource = FluentResource::try_new(source.to_owned())
                .map_err(|(_, errors)| anyhow::anyhow!("locales/{code}/main.ftl: {errors:?}"))?;
            let langid: unic_langid::LanguageIdentifier = code
                .parse()
                .map_err(|e| anyhow::anyhow!("language {code}: {e}"))?;
            let mut bundle = FluentBundle::new_concurrent(vec![langid]);
            // Isolation marks would show up inside attribute values and tests.
            bundle.set_use_isolating(false);
            bundle
                .add_resource(resource)
                .map_err(|errors| anyhow::anyhow!("locales/{code}/main.ftl: {errors:?}"))?;
            bundles.insert(code, bundle);
        }
        Ok(I18n { bundles })
    }

    pub fn has(&self, lang: &str, key: &str) -> bool {
        self.bundles.get(lang).is_some_and(|b| b.has_message(key))
    }

    /// The message `key` in `lang` with `args`; `None` if the key is missing.
    pub fn message(&self, lang: &str, key: &str, args: Option<&FluentArgs>) -> Option<String> {
        let bundle = self.bundles.get(lang)?;
        let pattern = bundle.get_message(key)?.value()?;
        let mut errors = Vec::new();
        let out = bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::warn!(lang, key, ?errors, "message formatted with errors");
        }
        Some(out.into_owned())
    }

    /// Like [`I18n::message`] with named arguments, falling back to the key itself (which the
    /// locale tests make impossible for every key the code and templates use).
    pub fn text(&self, lang: &str, key: &str, args: &[(&str, FluentValue<'static>)]) -> String {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            fluent.set(*name, value.clone());
        }
        self.message(lang, key, Some(&fluent))
            .unwrap_or_else(|| key.to_owned())
    }
}

/// The message keys of a Fluent source (messages only, not terms).
pub fn keys_of(source: &str) -> Vec<String> {
    source
        .lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_take_the_locale_form() {
        let d = Date::from_ymd_opt(2025, 7, 1).unwrap();
        assert_eq!(format_date(d, "vi"), "01/07/2025");
        assert_eq!(format_date(d, "ru"), "01.07.2025");
        assert_eq!(format_date(d, "sv"), "2025-07-01");
    }

    #[test]
    fn accept_language_picks_the_first_supported() {
        assert_eq!(
            from_accept_language("fr-FR, sv;q=0.8, en;q=0.5"),
            Some("sv")
        );
        assert_eq!(from_accept_language("no"), Some("nb"));
        assert_eq!(from_accept_language("fr"), None);
    }

    #[test]
    fn plurals_follow_each_language() {
        let i18n = I18n::load().unwrap();
        let one = i18n.text("en", "members-count", &[("count", 1.into())]);
        let many = i18n.text("en", "members-count", &[("count", 5.into())]);
        assert_eq!(one, "1 member");
        assert_eq!(many, "5 members");
        // Russian has three forms: 1 член, 3 члена, 5 членов.
        let ru: Vec<String> = [1, 3, 5]
            .iter()
            .map(|n| i18n.text("ru", "members-count", &[("count", (*n).into())]))
            .collect();
        assert_eq!(ru.len(), 3);
        assert_ne!(ru[0], ru[1].replace('3', "1"));
        assert_ne!(ru[1].replace('3', "5"), ru[2]);
    }

    #[test]
    fn every_language_has_every_key() {
        let reference = keys_of(SOURCES[0].1);
        assert!(reference.len() > 50, "the Vietnamese file looks empty");
        for (code, source) in SOURCES {
            let keys = keys_of(source);
            for k in &reference {
                assert!(keys.contains(k), "locales/{code}/main.ftl lacks `{k}`");
            }
            for k in &keys {
                assert!(
                    reference.contains(k),
                    "locales/{code}/main.ftl has unknown `{k}`"
                );
            }
        }
        I18n::load().unwrap();
    }
}
