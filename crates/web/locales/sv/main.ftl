# Grassroots: Svenska. Every key here exists in every language (a test checks).

nav-dashboard = Översikt
nav-tree = Organisationsträd
nav-members = Medlemmar
nav-my-record = Min post
language = Språk
apply = Tillämpa
sign-out = Logga ut
footer-tagline = Partibyggande arbete från cellen till nationen
signin-title = Logga in
signin-demo = Demokonton
signin-button = Logga in
signin-failed = Fel användarnamn eller lösenord.
field-username = Användarnamn
field-password = Lösenord
dashboard-title = Översikt över din organisation
orgs-by-kind = Organisationer per typ
members-by-status = Medlemmar per status
alerts = Varningar
no-orgs = Det finns ännu inga organisationer i din del av trädet.
none = Inga
tree-title = Partiorganisationernas träd
search = Sök
tree-search-placeholder = Organisationens namn eller kod
as-of = Per datum
show = Visa
search-results = Sökresultat
browse = Bläddra
nothing-found = Inget hittades.
tree-as-of = Trädet som det såg ut { $date }
up = Upp en nivå
tree-empty = Ingen organisation fanns det datumet.
tree-truncated = Trädet är stort; öppna en gren för att se mer.
field-kind = Typ
field-founded-on = Grundad
field-dissolved-on = Upplöst
grassroots-orgs = Gräsrotsorganisationer
members-active = Aktiva medlemmar
rename = Byt namn
new-child-org = Ny underordnad organisation
new-member = Ny medlem
children = Underordnade organisationer
history = Ändringshistorik
from = Från
to = Till
change = Ändring
field-name = Namn
audit = Ändringslogg
parent-org = Överordnad organisation
field-code = Kod
field-effective-on = Gäller från
field-decision = Beslut
decision-hint = Beslutets nummer, t.ex. 123-QĐ/TU
save = Spara
cancel = Avbryt
new-org-title = Ny organisation
rename-title = Byt namn på { $name }
conflict-prefix = Någon annan har ändrat posten under tiden. Ladda om sidan och försök igen.
members-title = Medlemsförteckning
member-search-placeholder = Namn (med eller utan diakritiska tecken), ID- eller kortnummer
field-status = Status
status-any-active = Alla aktiva
field-full-name = Fullständigt namn
field-birth-date = Födelsedatum
field-cell = Cell
first-page = Första sidan
next-page = Nästa sida
field-gender = Kön
field-ethnicity = Etnicitet
field-citizen-id = Medborgar-ID
citizen-id-hint = 12 siffror
field-party-card-no = Partikortsnummer
field-admitted-on = Antagen
field-official-on = Ordinarie från
field-status-since = Status sedan
field-joined-on = Gick med i cellen
edit = Redigera
status-history = Statushistorik
reason = Skäl
new-status = Ny status
record-status = Registrera
memberships = Medlemskap
membership-kind = Typ
new-member-title = Ny medlem
edit-member-title = Redigera { $name }
back-home = Tillbaka till startsidan
membership-official = Ordinarie
membership-temporary = Tillfälligt
gender-male = Man
gender-female = Kvinna
kind-central = Centralkommittén
kind-provincial = Provinskommitté
kind-district = Distriktskommitté
kind-commune = Kommunkommitté
kind-grassroots_committee = Gräsrotskommitté
kind-grassroots_cell = Gräsrotscell
kind-cell = Cell
kind-party_group = Partigrupp
status-probationary = Provmedlem
status-official = Ordinarie
status-temporarily_exempt = Tillfälligt befriad
status-exempt = Befriad
status-transferred_out = Överflyttad
status-removed = Struken
status-expelled = Utesluten
status-deceased = Avliden
role-administrator = Administratör
role-committee_office = Kommitténs kansli
role-inspection = Inspektionskommission
role-propaganda = Propaganda och utbildning
role-mass_mobilization = Massmobilisering
role-cell_secretary = Cellsekreterare
role-member = Medlem
change-created = Bildad
change-renamed = Namnbyte
change-moved = Flyttad
change-merged = Sammanslagen
change-split = Delad
change-dissolved = Upplöst
error-title-not_found = Hittades inte
error-help-not_found = Sidan eller posten finns inte, eller ligger utanför din del av trädet.
error-title-forbidden = Inte tillåtet
error-help-forbidden = Din roll tillåter inte detta.
error-title-conflict = Konflikt
error-help-conflict = Begäran krockar med det som är lagrat.
error-title-invalid = Ogiltiga uppgifter
error-help-invalid = Kontrollera det du angav.
error-title-bad_csrf = Formuläret har gått ut
error-help-bad_csrf = Ladda om sidan och skicka igen.
error-title-unauthenticated = Logga in först
error-help-unauthenticated = Din session har upphört.
error-title-too_many_attempts = För många försök
error-help-too_many_attempts = Vänta några minuter och försök igen.
error-title-bad_request = Felaktig begäran
error-help-bad_request = Begäran kunde inte läsas.
error-title-internal = Något gick fel
error-help-internal = Felet har loggats. Försök igen senare.

## Messages with plural forms (CLDR rules of the language).
members-count =
    { $count ->
        [one] { $count } medlem
       *[other] { $count } medlemmar
    }
grassroots-orgs-count =
    { $count ->
        [one] { $count } gräsrotsorganisation
       *[other] { $count } gräsrotsorganisationer
    }
alert-small-cell =
    { $count ->
        [one] bara { $count } ordinarie medlem (minst 3 krävs)
       *[other] bara { $count } ordinarie medlemmar (minst 3 krävs)
    }
signin-too-many =
    { $minutes ->
        [one] För många misslyckade inloggningar. Vänta { $minutes } minut.
       *[other] För många misslyckade inloggningar. Vänta { $minutes } minuter.
    }

# Reports
report-title = Rapport
report-show = Visa rapport
report-download = Ladda ner
report-figure = Uppgift
report-change = Förändring

# Documents and training
documents-title = Dokument
documents-none = Inga dokument ännu.
document-new = Registrera ett dokument
document-number = Nummer
document-number-hint = Lämna tomt för att ta nästa nummer av typen under mandatperioden
document-type = Typ
document-issued-on = Utfärdat
document-issuer = Utfärdare
document-title-field = Titel
document-summary = Sammanfattning
document-status = Status
document-parent = Konkretiserar dokument (id)
document-concretizes = konkretiserar ett högre dokument
document-concretize-by = Ska konkretiseras av
document-register = Registrera
document-files = Bilagor
doc-status-in_force = Gällande
doc-status-superseded = Ersatt
doc-status-expired = Utgånget
doc-status-revoked = Återkallat
cascade-title = Kaskad
cascade-organization = Organisation
cascade-concretized = Konkretiserat genom
cascade-pending = Ännu inte konkretiserat
cascade-not-yet = ännu inte
review-kind-preliminary = Delutvärdering
review-kind-final = Slututvärdering
reviews-title = Utvärderingar
tasks-title = Uppgifter
task-due = Senast
task-done = Klar
study-title = Dokument att studera
study-assigned-on = Tilldelat
study-studied-on = Studerat
study-not-yet = Ännu inte studerat
courses-title = Utbildningar
course-kind-new_member_theory = Politisk teori för nya medlemmar
course-kind-awareness = Kunskap om partiet
course-kind-specialized = Fackkurs
course-kind-thematic_conference = Temakonferens för nyckelkadrer
course-sessions = Tillfällen
course-participants = Deltagare
course-result = Resultat
course-score = Poäng
course-certificate = Intyg
result-pass = Godkänd
result-fail = Underkänd
disseminations-title = Konferenser och kurser som sprider dokument
dissemination-kind-conference = Konferens
dissemination-kind-class = Kurs
held-on = Hölls
