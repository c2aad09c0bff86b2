//! The route table: every route of the application with the rule that guards it. The
//! router ([`crate::router`]), the OpenAPI document ([`crate::openapi`]) and the access
//! matrix test are built from this one list, so a route cannot exist without a rule.

use axum::http::Method;
use axum::response::IntoResponse;
use axum::routing::on;
use grassroots_domain::access::Permission::*;

use crate::access::Kind::{Api, Asset, Page};
use crate::access::Rule::{MemberRecord, Perm, Public, SignedIn};
use crate::access::{ApiDoc, RouteSpec};
use crate::{api, openapi, pages};

const NO_DOC: ApiDoc = ApiDoc {
    query: &[],
    body: &[],
};
const DATED: &[(&str, &str)] = &[("effective_on", "date"), ("decision", "string")];
const IDENTITY: &[(&str, &str)] = &[
    ("full_name", "string"),
    ("birth_date", "date"),
    ("gender", "string"),
    ("ethnicity", "string"),
    ("citizen_id", "string"),
    ("party_card_no", "string"),
    ("admitted_on", "date"),
    ("official_on", "date"),
];

macro_rules! route {
    ($method:ident, $path:expr, $rule:expr, $kind:expr, $summary:expr, $handler:path) => {
        route!($method, $path, $rule, $kind, $summary, $handler, NO_DOC)
    };
    ($method:ident, $path:expr, $rule:expr, $kind:expr, $summary:expr, $handler:path, $doc:expr) => {
        RouteSpec {
            method: Method::$method,
            path: $path,
            rule: $rule,
            kind: $kind,
            summary: $summary,
            doc: $doc,
            handler: |filter| on(filter, $handler),
        }
    };
}

async fn css() -> impl IntoResponse {
    (
        [
            ("content-type", "text/css; charset=utf-8"),
            ("cache-control", "public, max-age=3600"),
        ],
        include_str!("../assets/app.css"),
    )
}

async fn js() -> impl IntoResponse {
    (
        [
            ("content-type", "text/javascript; charset=utf-8"),
            ("cache-control", "public, max-age=3600"),
        ],
        include_str!("../assets/app.js"),
    )
}

async fn healthz() -> &'static str {
    "ok"
}

/// Every route. Add new routes here, with their rule; nowhere else.
pub static ROUTES: &[RouteSpec] = &[
    // Assets and health.
    route!(GET, "/healthz", Public, Asset, "Liveness check", healthz),
    route!(GET, "/assets/app.css", Public, Asset, "Stylesheet", css),
    route!(GET, "/assets/app.js", Public, Asset, "Script", js),
    // Pages.
    route!(
        GET,
        "/signin",
        Public,
        Page,
        "Sign-in form",
        pages::session::signin_form
    ),
    route!(
        POST,
        "/signin",
        Public,
        Page,
        "Sign in",
        pages::session::signin
    ),
    route!(
        POST,
        "/signout",
        SignedIn,
        Page,
        "Sign out",
        pages::session::signout
    ),
    route!(
        POST,
        "/language",
        Public,
        Page,
        "Switch language",
        pages::session::language
    ),
    route!(GET, "/", SignedIn, Page, "Start page", pages::session::home),
    route!(
        GET,
        "/dashboard",
        Perm(ViewOrgs),
        Page,
        "Dashboard",
        pages::dashboard::dashboard
    ),
    route!(
        GET,
        "/tree",
        Perm(ViewOrgs),
        Page,
        "Organization tree",
        pages::orgs::tree
    ),
    route!(
        GET,
        "/orgs/new",
        Perm(ManageOrgs),
        Page,
        "New organization form",
        pages::orgs::new_org_form
    ),
    route!(
        POST,
        "/orgs",
        Perm(ManageOrgs),
        Page,
        "Create organization",
        pages::orgs::create_org
    ),
    route!(
        GET,
        "/orgs/{id}",
        Perm(ViewOrgs),
        Page,
        "Organization page",
        pages::orgs::org_page
    ),
    route!(
        GET,
        "/orgs/{id}/review",
        Perm(ViewMembers),
        Page,
        "Annual review page: members or organizations with their classification for a year",
        pages::classification::review_page
    ),
    route!(
        POST,
        "/orgs/{id}/review",
        Perm(ClassifyMembers),
        Page,
        "Record or correct a classification from the annual review page",
        pages::classification::classify
    ),
    route!(
        GET,
        "/orgs/{id}/report",
        Perm(ViewOrgs),
        Page,
        "Report of an organization's subtree",
        pages::reports::report_page
    ),
    route!(
        GET,
        "/orgs/{id}/edit",
        Perm(ManageOrgs),
        Page,
        "Rename form",
        pages::orgs::rename_form
    ),
    route!(
        POST,
        "/orgs/{id}/rename",
        Perm(ManageOrgs),
        Page,
        "Rename organization",
        pages::orgs::rename
    ),
    route!(
        GET,
        "/members",
        Perm(ViewMembers),
        Page,
        "Member list",
        pages::members::list
    ),
    route!(
        GET,
        "/members/new",
        Perm(EditMembers),
        Page,
        "New member form",
        pages::members::new_form
    ),
    route!(
        POST,
        "/members",
        Perm(EditMembers),
        Page,
        "Create member",
        pages::members::create
    ),
    route!(
        GET,
        "/members/{id}",
        MemberRecord,
        Page,
        "Member profile",
        pages::members::profile
    ),
    route!(
        GET,
        "/members/{id}/edit",
        Perm(EditMembers),
        Page,
        "Member edit form",
        pages::members::edit_form
    ),
    route!(
        POST,
        "/members/{id}/edit",
        Perm(EditMembers),
        Page,
        "Update member",
        pages::members::update
    ),
    route!(
        POST,
        "/members/{id}/status",
        Perm(ChangeMemberStatus),
        Page,
        "Change member status",
        pages::members::change_status
    ),
    route!(
        GET,
        "/orgs/{id}/meetings",
        Perm(ViewOrgs),
        Page,
        "A cell's meeting calendar for a year",
        pages::meetings::calendar
    ),
    route!(
        POST,
        "/orgs/{id}/meetings/schedule",
        Perm(ManageMeetings),
        Page,
        "Schedule a year of regular meetings",
        pages::meetings::schedule
    ),
    route!(
        GET,
        "/orgs/{id}/meetings/figures",
        Perm(ViewMembers),
        Page,
        "Meeting figures and alerts of a subtree",
        pages::meetings::figures_page
    ),
    route!(
        GET,
        "/meetings/{id}",
        Perm(ViewMembers),
        Page,
        "A meeting: attendance form, check-in code, minutes",
        pages::meetings::meeting_page
    ),
    route!(
        POST,
        "/meetings/{id}/attendance",
        Perm(ManageMeetings),
        Page,
        "Record the attendance list",
        pages::meetings::attendance
    ),
    route!(
        POST,
        "/meetings/{id}/minutes",
        Perm(ManageMeetings),
        Page,
        "Record the minutes",
        pages::meetings::minutes
    ),
    route!(
        POST,
        "/meetings/{id}/cancel",
        Perm(ManageMeetings),
        Page,
        "Cancel a scheduled meeting, with its reason",
        pages::meeting_oversight::cancel
    ),
    route!(
        POST,
        "/meetings/{id}/observers",
        Perm(ManageMeetings),
        Page,
        "Send a superior committee's observer to a meeting",
        pages::meeting_oversight::observe
    ),
    route!(
        POST,
        "/meetings/{id}/evaluations",
        Perm(ManageMeetings),
        Page,
        "A superior committee's evaluation of a held meeting",
        pages::meeting_oversight::evaluate
    ),
    route!(
        POST,
        "/orgs/{id}/cell-committee",
        Perm(ManageMeetings),
        Page,
        "Record a cell's elected committee",
        pages::meeting_oversight::elect_cell_committee
    ),
    route!(
        GET,
        "/check-in",
        Perm(CheckIn),
        Page,
        "Self check-in form",
        pages::meetings::check_in_form
    ),
    route!(
        POST,
        "/check-in",
        Perm(CheckIn),
        Page,
        "Check oneself in",
        pages::meetings::check_in
    ),
    // The JSON API.
    route!(
        GET,
        "/api/v1/openapi.json",
        Public,
        Api,
        "This API description",
        openapi::document
    ),
    route!(
        POST,
        "/api/v1/session",
        Public,
        Api,
        "Sign in; answers the CSRF token for writes",
        api::session::create,
        ApiDoc {
            query: &[],
            body: &[("username", "string"), ("password", "string")]
        }
    ),
    route!(
        DELETE,
        "/api/v1/session",
        SignedIn,
        Api,
        "Sign out",
        api::session::delete
    ),
    route!(
        GET,
        "/api/v1/me",
        SignedIn,
        Api,
        "The signed-in user, roles and CSRF token",
        api::session::me
    ),
    route!(
        GET,
        "/api/v1/orgs",
        Perm(ViewOrgs),
        Api,
        "Search organizations (or the top of the caller's tree)",
        api::orgs::search,
        ApiDoc {
            query: &["q", "limit"],
            body: &[]
        }
    ),
    route!(
        POST,
        "/api/v1/orgs",
        Perm(ManageOrgs),
        Api,
        "Create an organization",
        api::orgs::create,
        ApiDoc {
            query: &[],
            body: &[
                ("code", "string"),
                ("name", "string"),
                ("kind", "string"),
                ("parent_id", "integer"),
                ("founded_on", "date"),
                ("decision", "string")
            ]
        }
    ),
    route!(
        GET,
        "/api/v1/orgs/{id}",
        Perm(ViewOrgs),
        Api,
        "An organization",
        api::orgs::get
    ),
    route!(
        GET,
        "/api/v1/orgs/{id}/children",
        Perm(ViewOrgs),
        Api,
        "Active children",
        api::orgs::children
    ),
    route!(
        GET,
        "/api/v1/orgs/{id}/tree",
        Perm(ViewOrgs),
        Api,
        "The subtree as of a date",
        api::orgs::tree,
        ApiDoc {
            query: &["as_of"],
            body: &[]
        }
    ),
    route!(
        GET,
        "/api/v1/orgs/{id}/history",
        Perm(ViewOrgs),
        Api,
        "Every version of an organization",
        api::orgs::history
    ),
    route!(
        GET,
        "/api/v1/orgs/{id}/review",
        Perm(ViewMembers),
        Api,
        "The annual review of an organization for a year: its members or the organizations under it, each with its current classification, and the tallies",
        api::classification::review,
        ApiDoc {
            query: &["year"],
            body: &[],
        }
    ),
    route!(
        POST,
        "/api/v1/classifications",
        Perm(ClassifyMembers),
        Api,
        "Record the classification of a member or an organization for a year, or correct the current one (`supersedes`)",
        api::classification::classify,
        ApiDoc {
            query: &[],
            body: &[
                ("subject_kind", "string"),
                ("subject_id", "integer"),
                ("year", "integer"),
                ("level", "string"),
                ("points", "integer"),
                ("decided_on", "date"),
                ("decided_by", "integer"),
                ("supersedes", "integer"),
                ("note", "string"),
            ],
        }
    ),
    route!(
        GET,
        "/api/v1/members/{id}/classifications",
        Perm(ViewMembers),
        Api,
        "Every classification of a member (corrections included), newest first",
        api::classification::member_history,
        ApiDoc {
            query: &["year"],
            body: &[],
        }
    ),
    route!(
        GET,
        "/api/v1/orgs/{id}/classifications",
        Perm(ViewMembers),
        Api,
        "Every classification of an organization (corrections included), newest first",
        api::classification::org_history,
        ApiDoc {
            query: &["year"],
            body: &[],
        }
    ),
    route!(
        GET,
        "/api/v1/orgs/{id}/report",
        Perm(ViewOrgs),
        Api,
        "The report of the subtree for a period (docs/report-contract.md), as JSON or a download",
        api::reports::report,
        ApiDoc {
            query: &["from", "to", "format"],
            body: &[],
        }
    ),
    route!(
        GET,
        "/api/v1/orgs/{id}/counts",
        Perm(ViewOrgs),
        Api,
        "Members by status and organizations by kind",
        api::orgs::counts
    ),
    route!(
        POST,
        "/api/v1/orgs/{id}/rename",
        Perm(ManageOrgs),
        Api,
        "Rename",
        api::orgs::rename,
        ApiDoc {
            query: &[],
            body: &[
                ("name", "string"),
                ("effective_on", "date"),
                ("decision", "string")
            ]
        }
    ),
    route!(
        POST,
        "/api/v1/orgs/{id}/move",
        Perm(ManageOrgs),
        Api,
        "Move under another parent",
        api::orgs::move_org,
        ApiDoc {
            query: &[],
            body: &[
                ("parent_id", "integer"),
                ("effective_on", "date"),
                ("decision", "string"),
                ("handover", "object")
            ]
        }
    ),
    route!(
        POST,
        "/api/v1/orgs/{id}/merge",
        Perm(ManageOrgs),
        Api,
        "Merge sources into this organization",
        api::orgs::merge,
        ApiDoc {
            query: &[],
            body: &[
                ("sources", "array"),
                ("effective_on", "date"),
                ("decision", "string"),
                ("handover", "object")
            ]
        }
    ),
    route!(
        POST,
        "/api/v1/orgs/{id}/split",
        Perm(ManageOrgs),
        Api,
        "Split into new organizations that take every child organization and member",
        api::orgs::split,
        ApiDoc {
            query: &[],
            body: &[
                ("parts", "array"),
                ("effective_on", "date"),
                ("decision", "string"),
                ("handover", "object")
            ]
        }
    ),
    route!(
        GET,
        "/api/v1/orgs/{id}/handovers",
        Perm(ViewOrgs),
        Api,
        "Handover minutes of block transfers the organization gave or received",
        api::orgs::handovers
    ),
    route!(
        GET,
        "/api/v1/handovers/{id}",
        Perm(ViewMembers),
        Api,
        "Handover minutes with the list of the members handed over",
        api::orgs::handover
    ),
    route!(
        GET,
        "/handovers/{id}",
        Perm(ViewMembers),
        Page,
        "Handover minutes with the list of the members handed over",
        pages::orgs::handover_page
    ),
    route!(
        POST,
        "/api/v1/orgs/{id}/dissolve",
        Perm(ManageOrgs),
        Api,
        "Dissolve an empty organization",
        api::orgs::dissolve,
        ApiDoc {
            query: &[],
            body: DATED
        }
    ),
    route!(
        GET,
        "/api/v1/members",
        Perm(ViewMembers),
        Api,
        "List members (list order), or search them by name: any word start, diacritics optional, ordered by the matching name then the list order (keyset paging)",
        api::members::list,
        ApiDoc {
            query: &["q", "status", "org", "after", "limit"],
            body: &[]
        }
    ),
    route!(
        POST,
        "/api/v1/members",
        Perm(EditMembers),
        Api,
        "Register a member",
        api::members::create,
        ApiDoc {
            query: &[],
            body: IDENTITY
        }
    ),
    route!(
        GET,
        "/api/v1/members/{id}",
        MemberRecord,
        Api,
        "A member with history and memberships",
        api::members::get
    ),
    route!(
        PUT,
        "/api/v1/members/{id}",
        Perm(EditMembers),
        Api,
        "Update identity fields (with version)",
        api::members::update,
        ApiDoc {
            query: &[],
            body: IDENTITY
        }
    ),
    route!(
        POST,
        "/api/v1/members/{id}/status",
        Perm(ChangeMemberStatus),
        Api,
        "Record a status change",
        api::members::change_status,
        ApiDoc {
            query: &[],
            body: &[
                ("status", "string"),
                ("effective_on", "date"),
                ("reason", "string")
            ]
        }
    ),
    route!(
        POST,
        "/api/v1/members/{id}/transfer",
        Perm(TransferMembers),
        Api,
        "Transfer to another cell",
        api::members::transfer,
        ApiDoc {
            query: &[],
            body: &[
                ("to_org", "integer"),
                ("kind", "string"),
                ("effective_on", "date"),
                ("until", "date")
            ]
        }
    ),
    route!(
        GET,
        "/api/v1/orgs/{id}/meetings",
        Perm(ViewOrgs),
        Api,
        "An organization's meetings in a year (its calendar)",
        api::meetings::list,
        ApiDoc {
            query: &["year"],
            body: &[]
        }
    ),
    route!(
        POST,
        "/api/v1/orgs/{id}/meetings",
        Perm(ManageMeetings),
        Api,
        "Schedule one meeting (regular, thematic with its topic, extraordinary, committee_plenary)",
        api::meetings::create,
        ApiDoc {
            query: &[],
            body: &[
                ("kind", "string"),
                ("date", "date"),
                ("agenda", "string"),
                ("topic", "string")
            ]
        }
    ),
    route!(
        POST,
        "/api/v1/orgs/{id}/meetings/schedule",
        Perm(ManageMeetings),
        Api,
        "Schedule a cell's regular meetings for a whole year (day: the rulebook's by default)",
        api::meetings::schedule,
        ApiDoc {
            query: &[],
            body: &[("year", "integer"), ("day", "integer")]
        }
    ),
    route!(
        GET,
        "/api/v1/orgs/{id}/meetings/figures",
        Perm(ViewOrgs),
        Api,
        "Meeting figures of the subtree for a period: held vs due, thematic per quarter, attendance",
        api::meetings::figures,
        ApiDoc {
            query: &["from", "to"],
            body: &[]
        }
    ),
    route!(
        GET,
        "/api/v1/orgs/{id}/meetings/alerts",
        Perm(ViewMembers),
        Api,
        "Alerts of the meeting rules in the subtree for a period, with their evidence",
        api::meetings::alerts,
        ApiDoc {
            query: &["from", "to"],
            body: &[]
        }
    ),
    route!(
        GET,
        "/api/v1/meetings/{id}",
        Perm(ViewMembers),
        Api,
        "A meeting with who is expected, attendance, observers and evaluations",
        api::meetings::get
    ),
    route!(
        POST,
        "/api/v1/meetings/{id}/minutes",
        Perm(ManageMeetings),
        Api,
        "Record agenda, topic, minutes and resolutions (with version)",
        api::meetings::minutes,
        ApiDoc {
            query: &[],
            body: &[
                ("version", "integer"),
                ("agenda", "string"),
                ("topic", "string"),
                ("minutes", "string"),
                ("resolutions", "array")
            ]
        }
    ),
    route!(
        POST,
        "/api/v1/meetings/{id}/attendance",
        Perm(ManageMeetings),
        Api,
        "Fast attendance: everyone expected present but the absentees; marks the meeting held",
        api::meetings::attendance,
        ApiDoc {
            query: &[],
            body: &[("absentees", "array")]
        }
    ),
    route!(
        POST,
        "/api/v1/meetings/{id}/check-in",
        Perm(CheckIn),
        Api,
        "Check oneself in with the meeting's code, on its day",
        api::meetings::check_in,
        ApiDoc {
            query: &[],
            body: &[("code", "string")]
        }
    ),
    route!(
        POST,
        "/api/v1/meetings/{id}/cancel",
        Perm(ManageMeetings),
        Api,
        "Cancel a scheduled meeting; the reason is required and kept",
        api::meeting_oversight::cancel,
        ApiDoc {
            query: &[],
            body: &[("reason", "string")]
        }
    ),
    route!(
        POST,
        "/api/v1/meetings/{id}/observers",
        Perm(ManageMeetings),
        Api,
        "Assign a member of a superior committee to attend the meeting",
        api::meeting_oversight::observe,
        ApiDoc {
            query: &[],
            body: &[
                ("member_id", "integer"),
                ("committee_org_id", "integer"),
                ("note", "string")
            ]
        }
    ),
    route!(
        POST,
        "/api/v1/meetings/{id}/evaluations",
        Perm(ManageMeetings),
        Api,
        "A superior committee classifies a held meeting's quality (rulebook levels)",
        api::meeting_oversight::evaluate,
        ApiDoc {
            query: &[],
            body: &[
                ("evaluator_org_id", "integer"),
                ("level", "string"),
                ("notes", "string"),
                ("evaluated_on", "date")
            ]
        }
    ),
    route!(
        GET,
        "/api/v1/orgs/{id}/cell-committee",
        Perm(ViewMembers),
        Api,
        "The cell committee in office on a day (today by default), or null",
        api::meeting_oversight::cell_committee,
        ApiDoc {
            query: &["on"],
            body: &[]
        }
    ),
    route!(
        POST,
        "/api/v1/orgs/{id}/cell-committee",
        Perm(ManageMeetings),
        Api,
        "Record a cell's newly elected committee; the one before it ends that day",
        api::meeting_oversight::elect_cell_committee,
        ApiDoc {
            query: &[],
            body: &[
                ("elected_on", "date"),
                ("secretary_member_id", "integer"),
                ("deputy_member_id", "integer"),
                ("decision", "string")
            ]
        }
    ),
    // Membership lifecycle.
    route!(
        GET,
        "/orgs/{id}/candidates",
        Perm(ViewMembers),
        Page,
        "Candidate pipeline of an organization's subtree",
        pages::lifecycle::candidates_page
    ),
    route!(
        GET,
        "/orgs/{id}/probation",
        Perm(ViewMembers),
        Page,
        "Probation list of an organization's subtree",
        pages::lifecycle::probation_page
    ),
    route!(
        GET,
        "/orgs/{id}/badges",
        Perm(ViewMembers),
        Page,
        "Badges due for an award day",
        pages::lifecycle::badges_page
    ),
    route!(
        GET,
        "/orgs/{id}/dues",
        Perm(ViewMembers),
        Page,
        "A cell's monthly dues with the Excel download",
        pages::lifecycle::dues_page
    ),
    route!(
        GET,
        "/api/v1/orgs/{id}/candidates",
        Perm(ViewMembers),
        Api,
        "Candidates of the subtree in the pipeline, with next step, deadline and overdue flag",
        api::lifecycle::candidates,
        ApiDoc {
            query: &["on"],
            body: &[]
        }
    ),
    route!(
        POST,
        "/api/v1/orgs/{id}/candidates",
        Perm(EditMembers),
        Api,
        "Register a candidate in this cell",
        api::lifecycle::create_candidate,
        ApiDoc {
            query: &[],
            body: &[
                ("full_name", "string"),
                ("birth_date", "date"),
                ("gender", "string"),
                ("ethnicity", "string"),
                ("citizen_id", "string"),
                ("registered_on", "date")
            ]
        }
    ),
    route!(
        GET,
        "/api/v1/candidates/{id}",
        Perm(ViewMembers),
        Api,
        "A candidate with every recorded step",
        api::lifecycle::candidate
    ),
    route!(
        POST,
        "/api/v1/candidates/{id}/steps",
        Perm(EditMembers),
        Api,
        "Record an admission step (422 names the field whose condition fails)",
        api::lifecycle::record_step,
        ApiDoc {
            query: &[],
            body: &[
                ("on", "date"),
                ("step", "string"),
                ("certificate_no", "string"),
                ("introducer_id", "integer"),
                ("acquainted_since", "date"),
                ("by", "string"),
                ("eligible", "integer"),
                ("votes_for", "integer"),
                ("document", "string")
            ]
        }
    ),
    route!(
        GET,
        "/api/v1/orgs/{id}/probation",
        Perm(ViewMembers),
        Api,
        "Probationary members of the subtree and where their probation stands",
        api::lifecycle::probation,
        ApiDoc {
            query: &["on"],
            body: &[]
        }
    ),
    route!(
        POST,
        "/api/v1/members/{id}/new-member-course",
        Perm(EditMembers),
        Api,
        "Record the new-member course of a probationary member",
        api::lifecycle::new_member_course,
        ApiDoc {
            query: &[],
            body: &[("completed_on", "date"), ("certificate_no", "string")]
        }
    ),
    route!(
        POST,
        "/api/v1/members/{id}/recognition",
        Perm(ChangeMemberStatus),
        Api,
        "Official recognition after the cell review, dated back to the end of probation",
        api::lifecycle::recognize,
        ApiDoc {
            query: &[],
            body: &[("reviewed_on", "date"), ("document", "string")]
        }
    ),
    route!(
        POST,
        "/api/v1/members/{id}/transfer-letters",
        Perm(TransferMembers),
        Api,
        "Issue an introduction letter for an official transfer",
        api::lifecycle::issue_letter,
        ApiDoc {
            query: &[],
            body: &[
                ("to_org", "integer"),
                ("issued_on", "date"),
                ("document", "string")
            ]
        }
    ),
    route!(
        POST,
        "/api/v1/transfer-letters/{id}/accept",
        Perm(TransferMembers),
        Api,
        "The receiving organization accepts a transfer letter",
        api::lifecycle::accept_letter,
        ApiDoc {
            query: &[],
            body: &[("accepted_on", "date")]
        }
    ),
    route!(
        GET,
        "/api/v1/orgs/{id}/transfer-letters",
        Perm(ViewMembers),
        Api,
        "Transfer letters issued from or addressed to the subtree",
        api::lifecycle::letters
    ),
    route!(
        POST,
        "/api/v1/members/{id}/outcomes",
        Perm(ChangeMemberStatus),
        Api,
        "Record a removal, expulsion, death or re-admission with its decision",
        api::lifecycle::record_outcome,
        ApiDoc {
            query: &[],
            body: &[
                ("kind", "string"),
                ("effective_on", "date"),
                ("document", "string"),
                ("reason", "string"),
                ("cell_id", "integer")
            ]
        }
    ),
    route!(
        GET,
        "/api/v1/members/{id}/outcomes",
        MemberRecord,
        Api,
        "A member's removals, expulsions, death and re-admissions",
        api::lifecycle::outcomes
    ),
    route!(
        GET,
        "/api/v1/orgs/{id}/badges",
        Perm(ViewMembers),
        Api,
        "Members due a party-age badge on an award day (default: the next one)",
        api::lifecycle::badges,
        ApiDoc {
            query: &["award_day"],
            body: &[]
        }
    ),
    route!(
        POST,
        "/api/v1/members/{id}/dues-income",
        Perm(EditMembers),
        Api,
        "Declare a member's income (salaried, pensioner, student) from a month on",
        api::lifecycle::declare_income,
        ApiDoc {
            query: &[],
            body: &[
                ("from", "string"),
                ("kind", "string"),
                ("base_vnd", "integer")
            ]
        }
    ),
    route!(
        POST,
        "/api/v1/members/{id}/dues-payments",
        Perm(EditMembers),
        Api,
        "Record a dues payment for a month",
        api::lifecycle::record_payment,
        ApiDoc {
            query: &[],
            body: &[
                ("month", "string"),
                ("amount_vnd", "integer"),
                ("paid_on", "date")
            ]
        }
    ),
    route!(
        GET,
        "/api/v1/members/{id}/dues",
        MemberRecord,
        Api,
        "A member's dues lines (due, paid, owed) month by month",
        api::lifecycle::member_dues,
        ApiDoc {
            query: &["from", "to"],
            body: &[]
        }
    ),
    route!(
        GET,
        "/api/v1/orgs/{id}/dues-sheet",
        Perm(ViewMembers),
        Api,
        "A cell's monthly dues sheet, as JSON or an Excel download",
        api::lifecycle::dues_sheet,
        ApiDoc {
            query: &["month", "format"],
            body: &[]
        }
    ),
    route!(
        GET,
        "/api/v1/orgs/{id}/arrears",
        Perm(ViewMembers),
        Api,
        "Members of the subtree with unpaid dues, with the removal alert",
        api::lifecycle::arrears,
        ApiDoc {
            query: &["through"],
            body: &[]
        }
    ),
    // Party cards, temporary transfers, dues exemptions and reductions.
    route!(
        GET,
        "/members/{id}/registers",
        MemberRecord,
        Page,
        "A member's party cards, temporary transfers and dues reliefs, with their forms",
        pages::registers::registers_page
    ),
    route!(
        POST,
        "/members/{id}/cards",
        Perm(EditMembers),
        Page,
        "Issue a party card number",
        pages::registers::issue_card
    ),
    route!(
        POST,
        "/members/{id}/cards/end",
        Perm(EditMembers),
        Page,
        "Report the valid card lost or damaged, or revoke it",
        pages::registers::end_card
    ),
    route!(
        POST,
        "/members/{id}/temporary-transfers",
        Perm(TransferMembers),
        Page,
        "Start a temporary transfer",
        pages::registers::start_stay
    ),
    route!(
        POST,
        "/members/{id}/temporary-transfers/end",
        Perm(TransferMembers),
        Page,
        "Record the return from a temporary transfer",
        pages::registers::end_stay
    ),
    route!(
        POST,
        "/members/{id}/dues-reliefs",
        Perm(EditMembers),
        Page,
        "Grant a dues exemption or reduction",
        pages::registers::grant_relief
    ),
    route!(
        GET,
        "/orgs/{id}/temporary-transfers",
        Perm(ViewMembers),
        Page,
        "Members of the subtree temporarily away, and members it hosts",
        pages::registers::stays_page
    ),
    route!(
        GET,
        "/api/v1/members/{id}/cards",
        MemberRecord,
        Api,
        "A member's party cards, the ended ones kept",
        api::registers::cards
    ),
    route!(
        POST,
        "/api/v1/members/{id}/cards",
        Perm(EditMembers),
        Api,
        "Issue a party card number (refused while a valid card is held; numbers are never reused)",
        api::registers::issue_card,
        ApiDoc {
            query: &[],
            body: &[("card_no", "string"), ("issued_on", "date")]
        }
    ),
    route!(
        POST,
        "/api/v1/members/{id}/cards/end",
        Perm(EditMembers),
        Api,
        "Report the valid card lost or damaged, or revoke it",
        api::registers::end_card,
        ApiDoc {
            query: &[],
            body: &[
                ("state", "string"),
                ("ended_on", "date"),
                ("reason", "string")
            ]
        }
    ),
    route!(
        POST,
        "/api/v1/members/{id}/temporary-transfers",
        Perm(TransferMembers),
        Api,
        "Start a temporary transfer: 3-12 months, or up to 24 for training",
        api::registers::start_stay,
        ApiDoc {
            query: &[],
            body: &[
                ("to_org", "integer"),
                ("from", "date"),
                ("until", "date"),
                ("training", "boolean")
            ]
        }
    ),
    route!(
        POST,
        "/api/v1/members/{id}/temporary-transfers/end",
        Perm(TransferMembers),
        Api,
        "Record the return from a temporary transfer before its planned end",
        api::registers::end_stay,
        ApiDoc {
            query: &[],
            body: &[("org_id", "integer"), ("returned_on", "date")]
        }
    ),
    route!(
        GET,
        "/api/v1/orgs/{id}/temporary-transfers",
        Perm(ViewMembers),
        Api,
        "Members of the subtree temporarily away (counted at home) and members it hosts",
        api::registers::stays,
        ApiDoc {
            query: &["on"],
            body: &[]
        }
    ),
    route!(
        GET,
        "/api/v1/members/{id}/dues-reliefs",
        MemberRecord,
        Api,
        "A member's dues exemptions and reductions",
        api::registers::reliefs
    ),
    route!(
        POST,
        "/api/v1/members/{id}/dues-reliefs",
        Perm(EditMembers),
        Api,
        "Grant a dues exemption (party age, poor household, serious illness) or a reduction",
        api::registers::grant_relief,
        ApiDoc {
            query: &[],
            body: &[
                ("from", "string"),
                ("to", "string"),
                ("exemption", "string"),
                ("percent", "integer"),
                ("document", "string")
            ]
        }
    ),
    // Documents, dissemination and training.
    route!(
        GET,
        "/orgs/{id}/documents",
        Perm(ViewOrgs),
        Page,
        "Document register of the subtree, with the form to add one",
        pages::documents::register
    ),
    route!(
        POST,
        "/orgs/{id}/documents",
        Perm(ManageDocuments),
        Page,
        "Register a document",
        pages::documents::create
    ),
    route!(
        GET,
        "/documents/{id}",
        Perm(ViewOrgs),
        Page,
        "A document with its cascade tree, tasks and reviews",
        pages::documents::document
    ),
    route!(
        GET,
        "/members/{id}/study",
        MemberRecord,
        Page,
        "A member's study list",
        pages::documents::study
    ),
    route!(
        GET,
        "/orgs/{id}/courses",
        Perm(ViewMembers),
        Page,
        "Courses and dissemination events of the subtree",
        pages::documents::courses
    ),
    route!(
        GET,
        "/courses/{id}",
        Perm(ViewMembers),
        Page,
        "A course with participants, results and certificates",
        pages::documents::course
    ),
    route!(
        POST,
        "/api/v1/orgs/{id}/documents",
        Perm(ManageDocuments),
        Api,
        "Register a document issued by the organization (next number of its type in the term, or an explicit one)",
        api::documents::register,
        ApiDoc {
            query: &[],
            body: &[
                ("type_code", "string"),
                ("number", "integer"),
                ("issuer_code", "string"),
                ("issued_on", "date"),
                ("title", "string"),
                ("summary", "string"),
                ("parent_id", "integer"),
                ("concretize_by", "array"),
                ("term", "string")
            ],
        }
    ),
    route!(
        GET,
        "/api/v1/orgs/{id}/documents",
        Perm(ViewOrgs),
        Api,
        "Documents issued in the subtree, newest first",
        api::documents::list
    ),
    route!(
        GET,
        "/api/v1/document-numbers",
        Perm(ViewOrgs),
        Api,
        "Parse a document number (ASCII and older forms too) and find the documents carrying it",
        api::documents::parse_number,
        ApiDoc {
            query: &["number"],
            body: &[],
        }
    ),
    route!(
        GET,
        "/api/v1/documents/{id}",
        Perm(ViewOrgs),
        Api,
        "A document with its files, tasks and reviews",
        api::documents::get
    ),
    route!(
        GET,
        "/api/v1/documents/{id}/cascade",
        Perm(ViewOrgs),
        Api,
        "Which organizations of a subtree have concretized and reviewed the document, and which have not",
        api::documents::cascade,
        ApiDoc {
            query: &["root"],
            body: &[],
        }
    ),
    route!(
        POST,
        "/api/v1/documents/{id}/plans",
        Perm(ManageDocuments),
        Api,
        "Register a lower plan concretizing the document, with its tasks",
        api::documents::create_plan,
        ApiDoc {
            query: &[],
            body: &[
                ("issuer_org_id", "integer"),
                ("type_code", "string"),
                ("number", "integer"),
                ("issued_on", "date"),
                ("title", "string"),
                ("summary", "string"),
                ("concretize_by", "array"),
                ("tasks", "array")
            ],
        }
    ),
    route!(
        POST,
        "/api/v1/documents/{id}/tasks",
        Perm(ManageDocuments),
        Api,
        "Add a task to a plan",
        api::documents::add_task,
        ApiDoc {
            query: &[],
            body: &[
                ("title", "string"),
                ("assignee_org_id", "integer"),
                ("due_on", "date"),
                ("note", "string")
            ],
        }
    ),
    route!(
        POST,
        "/api/v1/tasks/{id}/done",
        Perm(ManageDocuments),
        Api,
        "Mark a task done",
        api::documents::complete_task,
        ApiDoc {
            query: &[],
            body: &[("done_on", "date")],
        }
    ),
    route!(
        POST,
        "/api/v1/documents/{id}/reviews",
        Perm(ManageDocuments),
        Api,
        "Record a preliminary or final review",
        api::documents::record_review,
        ApiDoc {
            query: &[],
            body: &[
                ("org_id", "integer"),
                ("kind", "string"),
                ("held_on", "date"),
                ("note", "string")
            ],
        }
    ),
    route!(
        POST,
        "/api/v1/orgs/{id}/disseminations",
        Perm(ManageDocuments),
        Api,
        "Record a conference or class disseminating documents, with its attendees",
        api::documents::record_dissemination,
        ApiDoc {
            query: &[],
            body: &[
                ("kind", "string"),
                ("title", "string"),
                ("held_on", "date"),
                ("document_ids", "array"),
                ("member_ids", "array"),
                ("non_member_count", "integer"),
                ("note", "string")
            ],
        }
    ),
    route!(
        GET,
        "/api/v1/orgs/{id}/disseminations",
        Perm(ViewMembers),
        Api,
        "Conferences and classes held in the subtree",
        api::documents::disseminations
    ),
    route!(
        POST,
        "/api/v1/orgs/{id}/study",
        Perm(ManageDocuments),
        Api,
        "Put a document on the study list of every active member of the subtree",
        api::documents::assign_study,
        ApiDoc {
            query: &[],
            body: &[
                ("document_id", "integer"),
                ("assigned_on", "date"),
                ("due_on", "date")
            ],
        }
    ),
    route!(
        GET,
        "/api/v1/members/{id}/study",
        MemberRecord,
        Api,
        "A member's documents to study, with what they have studied",
        api::documents::study_list
    ),
    route!(
        POST,
        "/api/v1/members/{id}/studied",
        Perm(ManageDocuments),
        Api,
        "Record that a member has studied a document",
        api::documents::mark_studied,
        ApiDoc {
            query: &[],
            body: &[("document_id", "integer"), ("on", "date")],
        }
    ),
    route!(
        GET,
        "/api/v1/orgs/{id}/document-figures",
        Perm(ViewOrgs),
        Api,
        "Figures of documents, dissemination and training for the subtree and period",
        api::documents::figures,
        ApiDoc {
            query: &["from", "to"],
            body: &[],
        }
    ),
    route!(
        POST,
        "/api/v1/orgs/{id}/courses",
        Perm(ManageTraining),
        Api,
        "Create a course organized by the organization",
        api::training::create,
        ApiDoc {
            query: &[],
            body: &[
                ("kind", "string"),
                ("title", "string"),
                ("starts_on", "date"),
                ("ends_on", "date"),
                ("note", "string")
            ],
        }
    ),
    route!(
        GET,
        "/api/v1/orgs/{id}/courses",
        Perm(ViewMembers),
        Api,
        "Courses organized in the subtree",
        api::training::list
    ),
    route!(
        GET,
        "/api/v1/courses/{id}",
        Perm(ViewMembers),
        Api,
        "A course with sessions, participants, results and certificates",
        api::training::get
    ),
    route!(
        POST,
        "/api/v1/courses/{id}/sessions",
        Perm(ManageTraining),
        Api,
        "Add a session to a course",
        api::training::add_session,
        ApiDoc {
            query: &[],
            body: &[("held_on", "date"), ("topic", "string")],
        }
    ),
    route!(
        POST,
        "/api/v1/courses/{id}/participants",
        Perm(ManageTraining),
        Api,
        "Add a participant: a member, or a named person who is not a member",
        api::training::add_participant,
        ApiDoc {
            query: &[],
            body: &[
                ("kind", "string"),
                ("member_id", "integer"),
                ("name", "string"),
                ("birth_date", "date")
            ],
        }
    ),
    route!(
        POST,
        "/api/v1/participants/{id}/result",
        Perm(ManageTraining),
        Api,
        "Record a participant's result and certificate (once)",
        api::training::record_result,
        ApiDoc {
            query: &[],
            body: &[
                ("result", "string"),
                ("score", "number"),
                ("certificate_no", "string"),
                ("certificate_on", "date")
            ],
        }
    ),
    route!(
        GET,
        "/api/v1/members/{id}/new-member-course",
        MemberRecord,
        Api,
        "Whether the member has passed the new-member political theory course",
        api::training::new_member_course
    ),
];
