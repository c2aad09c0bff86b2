# Grassroots: English. Every key here exists in every language (a test checks).

nav-dashboard = Dashboard
nav-tree = Organization tree
nav-members = Members
nav-my-record = My record
language = Language
apply = Apply
sign-out = Sign out
footer-tagline = Party-building work from the cell to the nation
signin-title = Sign in
signin-demo = Demo accounts
signin-button = Sign in
signin-failed = Wrong user name or password.
field-username = User name
field-password = Password
dashboard-title = Overview of your organization
orgs-by-kind = Organizations by kind
members-by-status = Members by status
alerts = Alerts
no-orgs = There are no organizations in your part of the tree yet.
none = None
tree-title = Party organization tree
search = Search
tree-search-placeholder = Organization name or code
as-of = As of
show = Show
search-results = Search results
browse = Browse
nothing-found = Nothing found.
tree-as-of = The tree as it stood on { $date }
up = Up one level
tree-empty = No organization existed on that date.
tree-truncated = The tree is large; open a branch to see more.
field-kind = Kind
field-founded-on = Founded on
field-dissolved-on = Dissolved on
grassroots-orgs = Grassroots organizations
members-active = Active members
rename = Rename
new-child-org = New subordinate organization
new-member = New member
children = Subordinate organizations
history = History of changes
from = From
to = To
change = Change
field-name = Name
audit = Audit log
parent-org = Parent organization
field-code = Code
field-effective-on = Effective on
field-decision = Decision
decision-hint = Number of the decision, e.g. 123-QĐ/TU
save = Save
cancel = Cancel
new-org-title = New organization
rename-title = Rename { $name }
conflict-prefix = Someone else changed this record meanwhile. Reload the page and try again.
members-title = Members
member-search-placeholder = Name (with or without diacritics), ID or card number
field-status = Status
status-any-active = Any active
field-full-name = Full name
field-birth-date = Date of birth
field-cell = Cell
first-page = First page
next-page = Next page
field-gender = Gender
field-ethnicity = Ethnicity
field-citizen-id = Citizen ID
citizen-id-hint = 12 digits
field-party-card-no = Party card number
field-admitted-on = Admitted on
field-official-on = Official on
field-status-since = Status since
field-joined-on = Joined the cell on
edit = Edit
status-history = Status history
reason = Reason
new-status = New status
record-status = Record
memberships = Memberships
membership-kind = Kind
new-member-title = New member
edit-member-title = Edit { $name }
back-home = Back to the start page
membership-official = Official
membership-temporary = Temporary
gender-male = Male
gender-female = Female
kind-central = Central Committee
kind-provincial = Provincial committee
kind-district = District committee
kind-commune = Commune committee
kind-grassroots_committee = Grassroots committee
kind-grassroots_cell = Grassroots cell
kind-cell = Cell
kind-party_group = Party group
status-probationary = Probationary
status-official = Official
status-temporarily_exempt = Temporarily exempt
status-exempt = Exempt
status-transferred_out = Transferred out
status-removed = Removed
status-expelled = Expelled
status-deceased = Deceased
role-administrator = Administrator
role-committee_office = Committee office
role-inspection = Inspection commission
role-propaganda = Propaganda and training
role-mass_mobilization = Mass mobilization
role-cell_secretary = Cell secretary
role-member = Member
change-created = Created
change-renamed = Renamed
change-moved = Moved
change-merged = Merged
change-split = Split
change-dissolved = Dissolved
error-title-not_found = Not found
error-help-not_found = This page or record does not exist, or lies outside your part of the tree.
error-title-forbidden = Not allowed
error-help-forbidden = Your role does not allow this.
error-title-conflict = Conflict
error-help-conflict = The request clashes with what is stored.
error-title-invalid = Invalid input
error-help-invalid = Check what you entered.
error-title-bad_csrf = The form has expired
error-help-bad_csrf = Reload the page and send it again.
error-title-unauthenticated = Sign in first
error-help-unauthenticated = Your session has ended.
error-title-too_many_attempts = Too many attempts
error-help-too_many_attempts = Wait a few minutes and try again.
error-title-bad_request = Bad request
error-help-bad_request = The request could not be read.
error-title-internal = Something went wrong
error-help-internal = The error has been logged. Try again later.

## Messages with plural forms (CLDR rules of the language).
members-count =
    { $count ->
        [one] { $count } member
       *[other] { $count } members
    }
grassroots-orgs-count =
    { $count ->
        [one] { $count } grassroots organization
       *[other] { $count } grassroots organizations
    }
alert-small-cell =
    { $count ->
        [one] only { $count } official member (at least 3 needed)
       *[other] only { $count } official members (at least 3 needed)
    }
signin-too-many =
    { $minutes ->
        [one] Too many failed sign-ins. Wait { $minutes } minute.
       *[other] Too many failed sign-ins. Wait { $minutes } minutes.
    }

# Reports
report-title = Report
report-show = Show report
report-download = Download
report-figure = Figure
report-change = Change

# Documents and training
documents-title = Documents
documents-none = No documents yet.
document-new = Register a document
document-number = Number
document-number-hint = Leave empty to take the next number of the type in the term
document-type = Type
document-issued-on = Issued on
document-issuer = Issuer
document-title-field = Title
document-summary = Summary
document-status = Status
document-parent = Concretizes document (id)
document-concretizes = concretizes a higher document
document-concretize-by = To be concretized by
document-register = Register
document-files = Attachments
doc-status-in_force = In force
doc-status-superseded = Superseded
doc-status-expired = Expired
doc-status-revoked = Revoked
cascade-title = Cascade
cascade-organization = Organization
cascade-concretized = Concretized by
cascade-pending = Not yet concretized
cascade-not-yet = not yet
review-kind-preliminary = Preliminary review
review-kind-final = Final review
reviews-title = Reviews
tasks-title = Tasks
task-due = Due
task-done = Done
study-title = Documents to study
study-assigned-on = Assigned on
study-studied-on = Studied on
study-not-yet = Not yet studied
courses-title = Training courses
course-kind-new_member_theory = Political theory for new members
course-kind-awareness = Awareness of the Party
course-kind-specialized = Specialized class
course-kind-thematic_conference = Thematic conference for key cadres
course-sessions = Sessions
course-participants = Participants
course-result = Result
course-score = Score
course-certificate = Certificate
result-pass = Passed
result-fail = Not passed
disseminations-title = Conferences and classes disseminating documents
dissemination-kind-conference = Conference
dissemination-kind-class = Class
held-on = Held on
