//! Configuration: built-in defaults, overridden by a TOML file, overridden by `GRASSROOTS_*`
//! environment variables, overridden by command-line flags.

use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::NaiveTime;
use serde::{Deserialize, Deserializer};

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `sqlite:PATH` (embedded) or `postgres://…`.
    pub database_url: String,
    /// Address the web server listens on.
    pub listen: String,
    /// Mark session cookies `Secure` (set when served over HTTPS).
    pub secure_cookies: bool,
    /// The language of a visitor who has not chosen one.
    pub default_language: String,
    /// How deep in the tree `serve` keeps the running year's reports warm (1 the nation,
    /// 2 the provinces too); 0 turns warming off.
    pub report_warm_depth: usize,
    /// The local time of day (`HH:MM`) at which `serve` warms the reports of the new day.
    #[serde(deserialize_with = "warm_at_from_toml")]
    pub report_warm_at: NaiveTime,
    /// Whether the database URL was chosen (file, environment or flag) rather than the
    /// default, so that `serve --demo` knows whether to use its own database.
    #[serde(skip)]
    pub database_url_explicit: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: "sqlite:data/grassroots.db".into(),
            listen: "127.0.0.1:8080".into(),
            secure_cookies: false,
            default_language: "vi".into(),
            report_warm_depth: 2,
            // Shortly after midnight: the first report of the day is then already kept.
            report_warm_at: NaiveTime::from_hms_opt(0, 5, 0).unwrap_or(NaiveTime::MIN),
            database_url_explicit: false,
        }
    }
}

impl Config {
    /// Loads defaults < `file` (if given, or `grassroots.toml` if present) < environment.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Config> {
        let path = file
            .map(Path::to_path_buf)
            .or_else(|| Some(PathBuf::from("grassroots.toml")).filter(|p| p.exists()));
        let mut config = match path {
            Some(p) => {
                let text = std::fs::read_to_string(&p)
                    .with_context(|| format!("reading configuration {}", p.display()))?;
                let mut config: Config = toml::from_str(&text)
                    .with_context(|| format!("configuration {}", p.display()))?;
                config.database_url_explicit = toml::from_str::<toml::Table>(&text)
                    .is_ok_and(|t| t.contains_key("database_url"));
                config
            }
            None => Config::default(),
        };
        config.apply_env(|k| std::env::var(k).ok())?;
        Ok(config)
    }

    fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> anyhow::Result<()> {
        if let Some(v) = get("GRASSROOTS_DATABASE_URL") {
            self.database_url = v;
            self.database_url_explicit = true;
        }
        if let Some(v) = get("GRASSROOTS_LISTEN") {
            self.listen = v;
        }
        if let Some(v) = get("GRASSROOTS_SECURE_COOKIES") {
            self.secure_cookies = match v.as_str() {
                "1" | "true" | "yes" => true,
                "0" | "false" | "no" => false,
                other => anyhow::bail!("GRASSROOTS_SECURE_COOKIES: `{other}` is not true or false"),
            };
        }
        if let Some(v) = get("GRASSROOTS_DEFAULT_LANGUAGE") {
            self.default_language = v;
        }
        if let Some(v) = get("GRASSROOTS_REPORT_WARM_DEPTH") {
            self.report_warm_depth = v.trim().parse().map_err(|_| {
                anyhow::anyhow!(
                    "GRASSROOTS_REPORT_WARM_DEPTH (report_warm_depth): `{v}` is not a depth \
                     (0 to turn warming off, 1 the nation, 2 the provinces too, …)"
                )
            })?;
        }
        if let Some(v) = get("GRASSROOTS_REPORT_WARM_AT") {
            self.report_warm_at = parse_warm_at(&v)
                .map_err(|e| anyhow::anyhow!("GRASSROOTS_REPORT_WARM_AT ({e})"))?;
        }
        Ok(())
    }
}

/// `report_warm_at` as written (`HH:MM`, 24-hour), or an error naming the field.
fn parse_warm_at(raw: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(raw.trim(), "%H:%M").map_err(|_| {
        format!("report_warm_at: `{raw}` is not a time of day as HH:MM (for example 00:05)")
    })
}

fn warm_at_from_toml<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
    let raw = String::deserialize(d)?;
    parse_warm_at(&raw).map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_apply_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("g.toml");
        std::fs::write(
            &file,
            "listen = \"0.0.0.0:9000\"\ndatabase_url = \"sqlite:x.db\"\n",
        )
        .unwrap();
        let mut c = Config::load(Some(&file)).unwrap();
        assert_eq!(c.listen, "0.0.0.0:9000");
        assert_eq!(c.default_language, "vi");
        c.apply_env(|k| (k == "GRASSROOTS_LISTEN").then(|| "127.0.0.1:1".to_string()))
            .unwrap();
        assert_eq!(c.listen, "127.0.0.1:1");
        assert_eq!(c.database_url, "sqlite:x.db");
        assert!(
            c.apply_env(|k| (k == "GRASSROOTS_SECURE_COOKIES").then(|| "maybe".to_string()))
                .is_err()
        );
    }

    #[test]
    fn an_explicit_database_url_is_noticed() {
        let dir = tempfile::tempdir().unwrap();
        let with = dir.path().join("with.toml");
        std::fs::write(&with, "database_url = \"sqlite:x.db\"\n").unwrap();
        let without = dir.path().join("without.toml");
        std::fs::write(&without, "listen = \"127.0.0.1:1\"\n").unwrap();
        assert!(Config::load(Some(&with)).unwrap().database_url_explicit);
        let mut c = Config::load(Some(&without)).unwrap();
        if std::env::var("GRASSROOTS_DATABASE_URL").is_err() {
            assert!(!c.database_url_explicit);
        }
        c.apply_env(|k| (k == "GRASSROOTS_DATABASE_URL").then(|| "sqlite:y.db".to_string()))
            .unwrap();
        assert!(c.database_url_explicit);
    }

    #[test]
    fn report_warming_is_configured_from_the_file_and_the_environment() {
        let at = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        let defaults = Config::default();
        assert_eq!(defaults.report_warm_depth, 2);
        assert_eq!(defaults.report_warm_at, at(0, 5));

        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("g.toml");
        std::fs::write(&file, "report_warm_depth = 3\nreport_warm_at = \"23:40\"\n").unwrap();
        let mut c = Config::load(Some(&file)).unwrap();
        if std::env::var("GRASSROOTS_REPORT_WARM_DEPTH").is_err() {
            assert_eq!(c.report_warm_depth, 3);
        }
        if std::env::var("GRASSROOTS_REPORT_WARM_AT").is_err() {
            assert_eq!(c.report_warm_at, at(23, 40));
        }

        c.apply_env(|k| match k {
            "GRASSROOTS_REPORT_WARM_DEPTH" => Some("0".into()),
            "GRASSROOTS_REPORT_WARM_AT" => Some("04:30".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!((c.report_warm_depth, c.report_warm_at), (0, at(4, 30)));

        for bad in ["25:00", "7pm", "00:05:30", ""] {
            let err = c
                .apply_env(|k| (k == "GRASSROOTS_REPORT_WARM_AT").then(|| bad.to_string()))
                .unwrap_err()
                .to_string();
            assert!(err.contains("report_warm_at"), "{bad}: {err}");
        }
        let err = c
            .apply_env(|k| (k == "GRASSROOTS_REPORT_WARM_DEPTH").then(|| "-1".to_string()))
            .unwrap_err()
            .to_string();
        assert!(err.contains("report_warm_depth"), "{err}");
        assert_eq!(
            c.report_warm_at,
            at(4, 30),
            "a refused value changes nothing"
        );
    }

    #[test]
    fn a_bad_warming_time_in_the_file_names_the_field() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("g.toml");
        std::fs::write(&file, "report_warm_at = \"24:05\"\n").unwrap();
        let err = format!("{:#}", Config::load(Some(&file)).unwrap_err());
        assert!(err.contains("report_warm_at"), "{err}");
        assert!(err.contains("24:05"), "{err}");
    }

    #[test]
    fn unknown_keys_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("g.toml");
        std::fs::write(&file, "lisen = \"x\"\n").unwrap();
        let err = format!("{:#}", Config::load(Some(&file)).unwrap_err());
        assert!(err.contains("lisen"), "{err}");
    }
}
