# Grassroots: Norsk bokmål. Every key here exists in every language (a test checks).

nav-dashboard = Oversikt
nav-tree = Organisasjonstre
nav-members = Medlemmer
nav-my-record = Min oppføring
language = Språk
apply = Bruk
sign-out = Logg ut
footer-tagline = Partibyggingsarbeid fra cellen til nasjonen
signin-title = Logg inn
signin-demo = Demokontoer
signin-button = Logg inn
signin-failed = Feil brukernavn eller passord.
field-username = Brukernavn
field-password = Passord
dashboard-title = Oversikt over organisasjonen din
orgs-by-kind = Organisasjoner etter type
members-by-status = Medlemmer etter status
alerts = Varsler
no-orgs = Det finnes ennå ingen organisasjoner i din del av treet.
none = Ingen
tree-title = Partiorganisasjonenes tre
search = Søk
tree-search-placeholder = Organisasjonens navn eller kode
as-of = Per dato
show = Vis
search-results = Søkeresultater
browse = Bla
nothing-found = Ingenting funnet.
tree-as-of = Treet slik det var { $date }
up = Opp ett nivå
tree-empty = Ingen organisasjon fantes på den datoen.
tree-truncated = Treet er stort; åpne en gren for å se mer.
field-kind = Type
field-founded-on = Opprettet
field-dissolved-on = Oppløst
grassroots-orgs = Grasrotorganisasjoner
members-active = Aktive medlemmer
rename = Gi nytt navn
new-child-org = Ny underordnet organisasjon
new-member = Nytt medlem
children = Underordnede organisasjoner
history = Endringshistorikk
from = Fra
to = Til
change = Endring
field-name = Navn
audit = Endringslogg
parent-org = Overordnet organisasjon
field-code = Kode
field-effective-on = Gjelder fra
field-decision = Vedtak
decision-hint = Vedtakets nummer, f.eks. 123-QĐ/TU
save = Lagre
cancel = Avbryt
new-org-title = Ny organisasjon
rename-title = Gi { $name } nytt navn
conflict-prefix = Noen andre har endret oppføringen i mellomtiden. Last inn siden på nytt og prøv igjen.
members-title = Medlemsliste
member-search-placeholder = Navn (med eller uten diakritiske tegn), ID- eller kortnummer
field-status = Status
status-any-active = Alle aktive
field-full-name = Fullt navn
field-birth-date = Fødselsdato
field-cell = Celle
first-page = Første side
next-page = Neste side
field-gender = Kjønn
field-ethnicity = Etnisitet
field-citizen-id = Borger-ID
citizen-id-hint = 12 sifre
field-party-card-no = Partikortnummer
field-admitted-on = Tatt opp
field-official-on = Ordinær fra
field-status-since = Status siden
field-joined-on = Ble med i cellen
edit = Rediger
status-history = Statushistorikk
reason = Grunn
new-status = Ny status
record-status = Registrer
memberships = Medlemskap
membership-kind = Type
new-member-title = Nytt medlem
edit-member-title = Rediger { $name }
back-home = Tilbake til startsiden
membership-official = Ordinær
membership-temporary = Midlertidig
gender-male = Mann
gender-female = Kvinne
kind-central = Sentralkomiteen
kind-provincial = Provinskomité
kind-district = Distriktskomité
kind-commune = Kommunekomité
kind-grassroots_committee = Grasrotkomité
kind-grassroots_cell = Grasrotcelle
kind-cell = Celle
kind-party_group = Partigruppe
status-probationary = Prøvemedlem
status-official = Ordinær
status-temporarily_exempt = Midlertidig fritatt
status-exempt = Fritatt
status-transferred_out = Overført
status-removed = Strøket
status-expelled = Ekskludert
status-deceased = Avdød
role-administrator = Administrator
role-committee_office = Komiteens kontor
role-inspection = Kontrollkommisjon
role-propaganda = Propaganda og opplæring
role-mass_mobilization = Massemobilisering
role-cell_secretary = Cellesekretær
role-member = Medlem
change-created = Opprettet
change-renamed = Nytt navn
change-moved = Flyttet
change-merged = Slått sammen
change-split = Delt
change-dissolved = Oppløst
error-title-not_found = Ikke funnet
error-help-not_found = Siden eller oppføringen finnes ikke, eller ligger utenfor din del av treet.
error-title-forbidden = Ikke tillatt
error-help-forbidden = Rollen din tillater ikke dette.
error-title-conflict = Konflikt
error-help-conflict = Forespørselen kolliderer med det som er lagret.
error-title-invalid = Ugyldige data
error-help-invalid = Kontroller det du skrev inn.
error-title-bad_csrf = Skjemaet har utløpt
error-help-bad_csrf = Last inn siden på nytt og send igjen.
error-title-unauthenticated = Logg inn først
error-help-unauthenticated = Økten din er avsluttet.
error-title-too_many_attempts = For mange forsøk
error-help-too_many_attempts = Vent noen minutter og prøv igjen.
error-title-bad_request = Ugyldig forespørsel
error-help-bad_request = Forespørselen kunne ikke leses.
error-title-internal = Noe gikk galt
error-help-internal = Feilen er logget. Prøv igjen senere.

## Messages with plural forms (CLDR rules of the language).
members-count =
    { $count ->
        [one] { $count } medlem
       *[other] { $count } medlemmer
    }
grassroots-orgs-count =
    { $count ->
        [one] { $count } grasrotorganisasjon
       *[other] { $count } grasrotorganisasjoner
    }
alert-small-cell =
    { $count ->
        [one] bare { $count } ordinært medlem (minst 3 kreves)
       *[other] bare { $count } ordinære medlemmer (minst 3 kreves)
    }
signin-too-many =
    { $minutes ->
        [one] For mange mislykkede innlogginger. Vent { $minutes } minutt.
       *[other] For mange mislykkede innlogginger. Vent { $minutes } minutter.
    }

# Reports
report-title = Rapport
report-show = Vis rapport
report-download = Last ned
report-figure = Tall
report-change = Endring

# Documents and training
documents-title = Dokumenter
documents-none = Ingen dokumenter ennå.
document-new = Registrer et dokument
document-number = Nummer
document-number-hint = La stå tomt for å ta neste nummer av typen i perioden
document-type = Type
document-issued-on = Utstedt
document-issuer = Utsteder
document-title-field = Tittel
document-summary = Sammendrag
document-status = Status
document-parent = Konkretiserer dokument (id)
document-concretizes = konkretiserer et høyere dokument
document-concretize-by = Skal konkretiseres av
document-register = Registrer
document-files = Vedlegg
doc-status-in_force = Gjeldende
doc-status-superseded = Erstattet
doc-status-expired = Utløpt
doc-status-revoked = Tilbakekalt
cascade-title = Kaskade
cascade-organization = Organisasjon
cascade-concretized = Konkretisert ved
cascade-pending = Ikke konkretisert ennå
cascade-not-yet = ikke ennå
review-kind-preliminary = Deløppsummering
review-kind-final = Sluttoppsummering
reviews-title = Oppsummeringer
tasks-title = Oppgaver
task-due = Frist
task-done = Ferdig
study-title = Dokumenter å studere
study-assigned-on = Tildelt
study-studied-on = Studert
study-not-yet = Ikke studert ennå
courses-title = Kurs
course-kind-new_member_theory = Politisk teori for nye medlemmer
course-kind-awareness = Kunnskap om partiet
course-kind-specialized = Fagkurs
course-kind-thematic_conference = Temakonferanse for nøkkelkadrer
course-sessions = Samlinger
course-participants = Deltakere
course-result = Resultat
course-score = Poeng
course-certificate = Bevis
result-pass = Bestått
result-fail = Ikke bestått
disseminations-title = Konferanser og kurs som formidler dokumenter
dissemination-kind-conference = Konferanse
dissemination-kind-class = Kurs
held-on = Holdt
