//! Passwords, session tokens, cookies and the sign-in rate limit.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::http::HeaderMap;
use grassroots_domain::DomainError;
use grassroots_domain::access::Permission;
use grassroots_storage::Scope;
use grassroots_storage::accounts::{Assignment, User};
use rand::RngCore;
use sha2::{Digest, Sha256};

pub const SESSION_COOKIE: &str = "gr_session";
/// The CSRF token of a visitor who has not signed in (double-submit cookie).
pub const ANON_CSRF_COOKIE: &str = "gr_csrf";
pub const LANGUAGE_COOKIE: &str = "gr_lang";
/// How long a session lasts.
pub const SESSION_HOURS: i64 = 12;

/// Hashes a password with argon2id and a random salt (PHC string).
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing the password: {e}"))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A new password must be long enough to resist guessing.
pub fn check_password(username: &str, password: &str) -> Result<(), DomainError> {
    if password.chars().count() < 10 {
        return Err(DomainError::invalid(
            format!("user {username}"),
            "password",
            "must be at least 10 characters",
        ));
    }
    if password.eq_ignore_ascii_case(username) {
        return Err(DomainError::invalid(
            format!("user {username}"),
            "password",
            "must differ from the user name",
        ));
    }
    Ok(())
}

/// 32 random bytes as hex: session tokens and CSRF tokens.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// The SHA-256 of a token as hex: what the sessions table stores.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares secrets in time independent of where they first differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The value of cookie `name` in the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// A `Set-Cookie` value. Every cookie is `HttpOnly` and `SameSite=Lax`; `Secure` when the
/// site is served over HTTPS.
pub fn set_cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> String {
    let mut out = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        out.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        out.push_str("; Secure");
    }
    out
}

/// The signed-in user of a request, with the roles they hold.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    pub csrf: String,
    pub token_hash: String,
    /// Broadest scope first.
    pub assignments: Vec<Assignment>,
}

impl Caller {
    /// The scope in which the caller holds `permission`: the broadest of the assignments
    /// whose role grants it.
    pub fn scope_for(&self, permission: Permission) -> Option<Scope> {
        self.assignments
            .iter()
            .find(|a| a.role.grants(permission))
            .map(Assignment::scope)
    }

    pub fn can(&self, permission: Permission) -> bool {
        self.scope_for(permission).is_some()
    }
}

/// Failed sign-ins per (user name, address), kept in memory: a restart forgives.
#[derive(Debug, Default)]
pub struct SignInLimiter {
    failures: Mutex<HashMap<(String, String), Vec<Instant>>>,
}

impl SignInLimiter {
    pub const MAX_FAILURES: usize = 5;
    pub const WINDOW: Duration = Duration::from_secs(15 * 60);

    /// `Err(minutes to wait)` when the key has used up its attempts.
    pub fn check(&self, username: &str, ip: &str) -> Result<(), u64> {
        let mut map = self
            .failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = Instant::now();
        let key = (username.to_owned(), ip.to_owned());
        let Some(list) = map.get_mut(&key) else {
            return Ok(());
        };
        list.retain(|t| now.duration_since(*t) < Self::WINDOW);
        if list.len() >= Self::MAX_FAILURES {
            let oldest = list.first().copied().unwrap_or(now);
            let wait = Self::WINDOW.saturating_sub(now.duration_since(oldest));
            return Err(wait.as_secs().div_ceil(60).max(1));
        }
        Ok(())
    }

    pub fn failed(&self, username: &str, ip: &str) {
        let mut map = self
            .failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Keep the table small under a spray of user names.
        if map.len() > 100_000 {
            let now = Instant::now();
            map.retain(|_, l| l.iter().any(|t| now.duration_since(*t) < Self::WINDOW));
        }
        map.entry((username.to_owned(), ip.to_owned()))
            .or_default()
            .push(Instant::now());
    }

    pub fn succeeded(&self, username: &str, ip: &str) {
        let mut map = self
            .failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.remove(&(username.to_owned(), ip.to_owned()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("x", "not a hash"));
        assert!(check_password("an", "short").is_err());
        assert!(check_password("an", "long enough pass").is_ok());
    }

    #[test]
    fn limiter_blocks_after_five_failures_per_key() {
        let l = SignInLimiter::default();
        for _ in 0..SignInLimiter::MAX_FAILURES {
            assert!(l.check("an", "1.2.3.4").is_ok());
            l.failed("an", "1.2.3.4");
        }
        assert!(l.check("an", "1.2.3.4").is_err());
        assert!(l.check("an", "5.6.7.8").is_ok());
        assert!(l.check("binh", "1.2.3.4").is_ok());
        l.succeeded("an", "1.2.3.4");
        assert!(l.check("an", "1.2.3.4").is_ok());
    }

    #[test]
    fn cookies_and_tokens() {
        let mut h = HeaderMap::new();
        h.insert("cookie", "a=1; gr_session=abc; b=2".parse().unwrap());
        assert_eq!(cookie(&h, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "zz"), None);
        let t = random_token();
        assert_eq!(t.len(), 64);
        assert_ne!(token_hash(&t), t);
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        let c = set_cookie("x", "y", Some(5), true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Secure"));
    }
}
