//! Server-side rendering with minijinja. Templates are embedded in the binary and
//! auto-escaped; `t(key, ...)` translates with Fluent and `date` formats a date in the
//! page's language.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use fluent_bundle::FluentValue;
use grassroots_domain::access::Permission;
use minijinja::value::{Kwargs, Value};
use minijinja::{Environment, Error, ErrorKind, State, context};

use crate::AppState;
use crate::access::Ctx;
use crate::error::{AppError, ErrorInfo};
use crate::i18n::{self, I18n, LANGUAGES};

/// Every template, by name.
pub const TEMPLATES: [(&str, &str); 29] = [
    ("base.html", include_str!("../templates/base.html")),
    ("signin.html", include_str!("../templates/signin.html")),
    (
        "dashboard.html",
        include_str!("../templates/dashboard.html"),
    ),
    ("tree.html", include_str!("../templates/tree.html")),
    ("org.html", include_str!("../templates/org.html")),
    ("org_form.html", include_str!("../templates/org_form.html")),
    ("members.html", include_str!("../templates/members.html")),
    ("member.html", include_str!("../templates/member.html")),
    (
        "member_form.html",
        include_str!("../templates/member_form.html"),
    ),
    ("report.html", include_str!("../templates/report.html")),
    ("meetings.html", include_str!("../templates/meetings.html")),
    ("meeting.html", include_str!("../templates/meeting.html")),
    ("check_in.html", include_str!("../templates/check_in.html")),
    (
        "meeting_figures.html",
        include_str!("../templates/meeting_figures.html"),
    ),
    (
        "candidates.html",
        include_str!("../templates/candidates.html"),
    ),
    (
        "probation.html",
        include_str!("../templates/probation.html"),
    ),
    ("badges.html", include_str!("../templates/badges.html")),
    ("dues.html", include_str!("../templates/dues.html")),
    (
        "documents.html",
        include_str!("../templates/documents.html"),
    ),
    ("document.html", include_str!("../templates/document.html")),
    ("study.html", include_str!("../templates/study.html")),
    ("courses.html", include_str!("../templates/courses.html")),
    ("course.html", include_str!("../templates/course.html")),
    ("handover.html", include_str!("../templates/handover.html")),
    (
        "registers.html",
        include_str!("../templates/registers.html"),
    ),
    ("stays.html", include_str!("../templates/stays.html")),
    ("error.html", include_str!("../templates/error.html")),
    ("macros.html", include_str!("../templates/macros.html")),
    ("review.html", include_str!("../templates/review.html")),
];

pub fn environment(i18n: Arc<I18n>) -> anyhow::Result<Environment<'static>> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .map_err(|e| anyhow::anyhow!("template {name}: {e}"))?;
    }
    env.add_function(
        "t",
        move |state: &State, key: &str, kwargs: Kwargs| -> Result<String, Error> {
            let lang = page_lang(state);
            let mut args: Vec<(&str, FluentValue<'static>)> = Vec::new();
            let names: Vec<&str> = kwargs.args().collect();
            for name in names {
                let v: Value = kwargs.get(name)?;
                let fv = match v.as_i64() {
                    Some(n) => FluentValue::from(n),
                    None => FluentValue::from(v.to_string()),
                };
                args.push((name, fv));
            }
            if !i18n.has(&lang, key) {
                return Err(Error::new(
                    ErrorKind::InvalidOperation,
                    format!("no message `{key}` in language {lang}"),
                ));
            }
            Ok(i18n.text(&lang, key, &args))
        },
    );
    env.add_filter("date", |state: &State, raw: Value| -> Value {
        let text = raw.to_string();
        match text.parse::<grassroots_domain::date::Date>() {
            // Digits and separators only: safe as it is (escaping would spell `/` as `&#x2f;`).
            Ok(d) => Value::from_safe_string(i18n::format_date(d, &page_lang(state))),
            Err(_) => Value::from(text),
        }
    });
    env.add_filter("vnd", |raw: Value| -> String {
        match raw.as_i64() {
            Some(n) => group_thousands(n),
            None => raw.to_string(),
        }
    });
    Ok(env)
}

/// An amount of money with its thousands grouped by dots, as Vietnamese accounts write it
/// (`1.234.000`); the dues sheets are read beside the printed ledger.
pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

fn page_lang(state: &State) -> String {
    state
        .lookup("lang")
        .map(|v| v.to_string())
        .unwrap_or_else(|| "vi".into())
}

/// What every page shows: the language, the user, what they may do, the CSRF token.
pub fn base(ctx: &Ctx) -> Value {
    let can = |p: Permission| ctx.caller.as_ref().is_some_and(|c| c.can(p));
    let user = ctx.caller.as_ref().map(|c| {
        context! {
            username => c.user.username.clone(),
            display_name => c.user.display_name.clone(),
            member_id => c.user.member_id,
            roles => c.assignments.iter().map(|a| context! {
                role => a.role.as_str(),
                org => a.org_name.clone(),
            }).collect::<Vec<_>>(),
        }
    });
    context! {
        lang => ctx.lang,
        csrf => ctx.csrf.clone(),
        here => ctx.here.clone(),
        languages => LANGUAGES.to_vec(),
        user => user,
        can => context! {
            view_orgs => can(Permission::ViewOrgs),
            manage_orgs => can(Permission::ManageOrgs),
            view_members => can(Permission::ViewMembers),
            edit_members => can(Permission::EditMembers),
            change_status => can(Permission::ChangeMemberStatus),
            view_audit => can(Permission::ViewAudit),
            manage_meetings => can(Permission::ManageMeetings),
            check_in => can(Permission::CheckIn),
            manage_documents => can(Permission::ManageDocuments),
            classify => can(Permission::ClassifyMembers),
        },
    }
}

/// Renders `template` with the base context and `page` merged in.
pub fn page(
    app: &AppState,
    ctx: &Ctx,
    template: &str,
    page: Value,
) -> Result<Html<String>, AppError> {
    let merged = context! { ..page, ..base(ctx) };
    app.templates
        .get_template(template)
        .and_then(|t| t.render(merged))
        .map(Html)
        .map_err(|e| AppError::internal(anyhow::anyhow!("rendering {template}: {e:#}")))
}

/// Like [`page`] with a status code other than 200 (a form with errors is 422).
pub fn page_with_status(
    app: &AppState,
    ctx: &Ctx,
    status: StatusCode,
    template: &str,
    value: Value,
) -> Result<Response, AppError> {
    Ok((status, page(app, ctx, template, value)?).into_response())
}

/// The friendly page for an error on an HTML route.
pub fn error_page(app: &AppState, ctx: &Ctx, info: &ErrorInfo) -> Response {
    let value = context! {
        status => info.status.as_u16(),
        error => info.body.error,
        message => info.body.message.clone(),
    };
    match page(app, ctx, "error.html", value) {
        Ok(html) => (info.status, html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "rendering the error page failed");
            (info.status, info.body.message.clone()).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::group_thousands;

    #[test]
    fn amounts_group_their_thousands_with_dots() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(5_000), "5.000");
        assert_eq!(group_thousands(60_000), "60.000");
        assert_eq!(group_thousands(1_234_567), "1.234.567");
        assert_eq!(group_thousands(-120_000), "-120.000");
    }
}
