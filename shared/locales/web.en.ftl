# The dashboard's words (the Core Team's and the CWC's pages), ids web-*. The words they share
# with the field app and the reports (needs, statuses, risks, documents, visits) are in en.ftl.

web-login = Log in
web-login-user = User
web-login-password = Password
web-logout = Log out
web-role-fieldworker = fieldworker
web-role-supervisor = supervisor
web-role-cwc = CWC member
web-role-admin = administrator
web-forbidden-title = Not yours to open
web-forbidden = This page is not open to you.
web-forbidden-fieldworker = The dashboard is for the Core Team and the CWC; fieldworkers use the field app.
web-forbidden-supervisor = This page is for supervisors and administrators.
web-forbidden-admin = This page is for administrators.

web-nav-overview = Overview
web-nav-cases = Cases
web-nav-reports = Reports
web-nav-spot-checks = Spot checks
web-nav-conflicts = Conflicts
web-nav-reviews = Reviews
web-nav-duplicates = Duplicates
web-nav-moves = Moves
web-nav-audit = Audit

web-overview-title = Overview, { $day }
web-district = District
web-block = Block
web-village = Village
web-active-cases = Active cases
web-visits-in = Visits in { $month }
web-due-visited = Cases due a visit in { $month } / visited
web-fieldworkers = Fieldworkers
web-fieldworker = Fieldworker
web-visits-this-week = Visits this week
web-visits-last-week = Last week
web-visits-2-weeks = 2 weeks ago
web-visits-3-weeks = 3 weeks ago
web-last-sync = Last sync
web-never = never
web-cwc-reports = CWC monthly reports

web-search = Name, village or case id
web-all = all
web-risk = Risk
web-status = Status
web-overdue-only = Visit
web-overdue = overdue
web-claim-days = Claim pending at least (days)
web-find = Find
web-cases-found = { $count ->
    [one] 1 case
   *[other] { $count } cases
}
web-page-of = page { $page } of { $pages }
web-pages = Pages
web-previous = ← Previous
web-next = Next →
web-child = Child
web-case-id = Case
web-next-visit = Next visit
web-oldest-claim = Oldest pending claim
web-last-visit = Last visit
web-unassigned = no one

web-case-read-only = Case { $id } · read only
web-other-names = Also known as
web-case-place = { $village }, { $block } block, { $district } district
web-panchayat = { $name } panchayat
web-returned-on = Returned home on { $date }
web-since = since { $date }
web-reason = reason
web-merged-into = Registered twice: this case was merged into
web-merged-from = Also registered as these cases, whose records were merged into this one:
web-case-n = case { $id }
web-decide = Decide on the Moves page
web-needs = Needs
web-need = Need
web-since-column = Since
web-history = History
web-changes = { $n ->
    [one] 1 change
   *[other] { $n } changes
}
web-settled-conflict = a supervisor's choice between two phones
web-claims = Compensation and entitlement claims
web-scheme = Scheme
web-stage = Stage
web-applied-on = Applied on
web-sanctioned-on = Sanctioned on
web-paid-on = Paid on
web-pending = Pending
web-why-stuck = Why stuck
web-document = Document
web-court-case = Court case
web-next-hearing = next hearing { $date }
web-by = By
web-no-incident = No harassment recorded.
web-police = Police
web-prompts-today = What is due today
web-priority = Priority
web-priority-urgent = urgent
web-priority-high = high
web-priority-normal = normal
web-what = What
web-due = Due
web-why = Why
web-visits = Visits
web-date = Date

web-notice-outcome-needed = Choose an outcome: verified, has issues or could not verify.
web-notice-note-needed = Say in the note what was wrong, or why the visit could not be verified.
web-notice-already-recorded = This spot check was recorded already: an outcome, once recorded, is not changed.
web-notice-already-drawn = This month's sample was drawn already: a month is drawn once.
web-notice-value-needed = Write the new value, or choose one of the values.
web-notice-value-refused = The new value was refused: the field expected another kind of value (a need's status takes one of that need's statuses).
web-notice-comment-needed = Say in the comment what the fieldworker should do.
web-notice-too-long = The text is too long: a note or a comment takes at most { $note } characters, a value { $value }.
web-notice-assignee-needed = Choose the fieldworker who follows the child in the new place.
web-notice-no-move = This case has no move request waiting (decided already, or withdrawn).
web-notice-same-child-unconfirmed = Nothing was merged: tick “they are the same child” once you have checked both cases (siblings look alike too).
web-notice-month-not-over = This month is not over: its sample is drawn from the first day of the next month, so that every visit of the month can be sampled.

# People, phones and who follows a case (the people page, the case page's assign form).
web-nav-people = People
web-people = People
web-people-hint-admin = Everyone who uses Homeward. Give a fieldworker's new phone a one-time code; disable someone who has left (their phones are wiped at their next contact).
web-people-hint-supervisor = The fieldworkers in your areas. Give a new phone a one-time code; revoke a lost phone (it is wiped at its next contact).
web-no-people = No one here.
web-name = Name
web-user-id = User id
web-user-id-hint = letters, digits and -; made from the name when left empty
web-role = Role
web-areas = Areas
web-areas-hint = one a line: a district (Gaya), or a district and block (Gaya/Tekari)
web-password-hint = for the dashboard; not for fieldworkers
web-actions = Actions
web-enabled = can work
web-disabled-on = disabled { $date }
web-new-code = New phone code
web-disable = Disable
web-enable = Enable
web-code-for = One-time code for { $name }'s phone
web-code-hint = Type it in the field app's first screen within 7 days. It works once and is shown only now.
web-devices = Phones
web-no-devices = No phone enrolled.
web-device = Phone
web-enrolled = Enrolled
web-in-use = in use
web-revoked-on = revoked { $date }
web-revoke = Revoke
web-revoke-confirm = it will be wiped at its next contact
web-add-user = Add a user
web-followed-by = Followed by
web-assign = Give the case to
web-assign-button = Give
web-assign-hint = Only fieldworkers who work in this block. A family that moved elsewhere moves through a move request.
web-notice-revoke-unconfirmed = Nothing was revoked: tick that the phone will be wiped at its next contact (unsent visits on it are lost).
web-notice-not-yourself = You cannot disable yourself: ask another administrator.
web-notice-assignee-outside = Not given: that fieldworker does not work where the child lives. If the family moved, the fieldworker asks for a move and you decide it on the Moves page.
web-nav-programme = Programme
web-programme-hint = The thresholds and schemes every phone, page and report uses: your NGO's file laid over the defaults. A scheme with a known key changes that scheme, a new key adds one, remove = true removes one. A new version reaches each phone at its next sync.
web-programme-version = Version { $version }, set by { $by } on { $at } (UTC).
web-programme-defaults = The defaults are in force: no file has been set.
web-programme-file = The programme file
web-programme-set = Check and set
web-programme-history = Versions
web-version = Version
web-programme-defaults-file = The defaults, with what each key means

# The reports page.
web-reports-title = Reports, { $day }
web-cwc-reports-of = CWC monthly reports, { $month }
web-cwc-reports-hint = Each child of the district by name, for the Child Welfare Committee. The summary CSV holds the month's figures.
web-summary-csv = summary CSV
web-gaps-title = Systemic gaps
web-gaps-hint = Compensation and entitlement claims pending today, by block, scheme and stage, in ageing buckets. Counts only, no child is named: for officials outside the child-protection system.
web-all-districts = All districts
web-no-district = No district in your areas.
web-risk-title = Active cases by risk
web-risk-chart = Active cases by risk per district, { $day }
web-visits-per-week = Visits per week
web-visits-per-week-hint = Each fieldworker's visits and calls in the last four weeks, oldest week first, on one scale. A week is labelled by its first day.
web-visits-by = Visits by { $name } per week
web-no-visits-4-weeks = No visit in your areas in the last four weeks.
web-audit-title = Audit log
web-audit-user = User
web-audit-entries = Entries
web-audit-shown = Newest first; { $n } shown.
web-audit-at = At (UTC)
web-audit-action = Action
web-audit-detail = Detail
web-audit-none = No entry matches.
