//! Configuration: built-in defaults, overridden by a TOML file, overridden by `GRASSROOTS_*`
//! environment variables, overridden by command-line flags.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

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
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: "sqlite:data/grassroots.db".into(),
            listen: "127.0.0.1:8080".into(),
            secure_cookies: false,
            default_language: "vi".into(),
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
                toml::from_str(&text).with_context(|| format!("configuration {}", p.display()))?
            }
            None => Config::default(),
        };
        config.apply_env(|k| std::env::var(k).ok())?;
        Ok(config)
    }

    fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> anyhow::Result<()> {
        if let Some(v) = get("GRASSROOTS_DATABASE_URL") {
            self.database_url = v;
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
        Ok(())
    }
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
    fn unknown_keys_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("g.toml");
        std::fs::write(&file, "lisen = \"x\"\n").unwrap();
        let err = format!("{:#}", Config::load(Some(&file)).unwrap_err());
        assert!(err.contains("lisen"), "{err}");
    }
}
