# Homeward messages, English. Every message here exists in hi.ftl too (a test checks).
# Shared by the reports, the command line and (with the field-app issue) the UI.

report-title = CWC monthly progress report
report-district-month = District { $district }, { $month }
report-prepared = Prepared on { $date } by Homeward.
report-in-progress = The month is not over: figures as of { $date }.
report-confidential = Confidential: this report names children in the care of the Child Welfare Committee and must not leave the child-protection system (Juvenile Justice Act, section 74).
report-summary = Summary
report-children = Children
report-none = none
report-no-children = No child was followed in this district this month.

agg-children-followed = Children followed
agg-visits-made = Visits made (calls included)
agg-visits-missed = Children whose visit was overdue at the end of the month
agg-school = Children aged 6 to 14 in school or a bridge programme
agg-new-entitlement = Children linked to a new entitlement (health insurance apart)
agg-new-health-insurance = Children linked to health insurance
agg-comp-applied = Compensation claims applied for
agg-comp-sanctioned = Compensation claims sanctioned
agg-comp-paid = Compensation claims paid
agg-comp-pending = Compensation claims pending at the end of the month
agg-comp-median = Compensation claims pending: half have waited this many days or more since application
agg-livelihood = Children linked to livelihood support or skills training
agg-harassment = Harassment incidents
agg-missing = Children missing or re-trafficked
agg-stabilised = Children whose needs all became settled this month
agg-closed = Cases closed

col-case = Case
col-child = Child
col-block = Block
col-village = Village
col-risk = Risk
col-state = Case status
col-visits = Visits this month
col-dimension = Need
col-start = Status at start
col-end = Status at end
col-changes = Changes this month
col-pending-since = Pending since
col-next-steps = Next steps
col-agreed-steps = Agreed at the last visit
col-open-claims = Claims waiting (applied for, not paid)
col-stage = Stage
col-applied-on = Applied on
col-days-pending = Days waiting
col-why-stuck = Why it is stuck
col-this-month = This month
fact-visit = { $kind } by { $by }
fact-summons = court summons received; hearing on { $hearing }
fact-hearing = hearing: { $outcome }
fact-hearing-next = hearing: { $outcome }; next hearing on { $next }
fact-incident = harassment: { $what }
fact-incident-police = harassment: { $what } (police informed)
fact-document = { $document }: { $state }
fact-claim = { $scheme }: { $stage }
fact-claim-amount = { $scheme }: { $stage } (₹{ $amount })

dim-education = Education
dim-compensation = Compensation
dim-entitlements = Family entitlements
dim-livelihood = Livelihood
dim-legal = Legal case
dim-health = Health
dim-documents = Documents

status-not_assessed = not assessed
status-not_applicable = not applicable
status-dropped_out = dropped out
status-not_enrolled = not enrolled
status-enrolled_irregular = enrolled, irregular
status-enrolled = enrolled
status-not_applied = not applied
status-applied = applied
status-sanctioned = sanctioned
status-paid = paid
status-not_eligible = not eligible
status-not_linked = not linked
status-partly_linked = partly linked
status-linked = linked
status-needs_support = needs support
status-in_training = in training
status-under_threat = under threat
status-testimony_due = testimony due
status-case_pending = case pending
status-concluded = concluded
status-needs_care = needs care
status-under_treatment = under treatment
status-counselling = counselling
status-well = well
status-missing = missing
status-partial = partial
status-complete = complete

risk-high = high
risk-medium = medium
risk-stable = stable

state-active = active
state-closed = closed
state-transferred = transferred
state-missing = missing
state-retrafficked = re-trafficked

prompt-court_summons = Court summons: reach the family
prompt-harassment = Harassment: check the child's safety
prompt-prepare_hearing = Prepare the hearing
prompt-hearing_outcome = Record the hearing's outcome
prompt-initial_assessment = Make the initial assessment
prompt-school_enrolment = Enrol in school
prompt-escalate_claim = Escalate a stuck claim
prompt-follow_up_claim = Follow up a claim
prompt-apply_for_scheme = Apply for a scheme
prompt-obtain_document = Obtain a missing document
prompt-health_care = Arrange health care
prompt-livelihood_support = Find livelihood support
prompt-visit_overdue = Visit overdue
prompt-visit_due = Visit due
prompt-due = due { $date }
prompt-was-due = was due { $date }

# Why a prompt is shown (prompt::Why, worded by Catalogue::reason).
why-court_summons = Court summons received { $received } for the hearing on { $hearing }: reach the family within 24 hours, before the trafficker does; arrange the lawyer's authorisation and testimony by video.
why-prepare_hearing = Hearing on { $hearing }: { $steps }.
why-step-lawyer = get the family's authorisation for the lawyer
why-step-video = arrange testimony by video so the child need not travel
why-hearing_outcome = The hearing of { $hearing } has passed: record what happened (testimony given, adjourned to a date, or why the family did not attend).
why-harassment = Harassment reported on { $date }: visit the family, check the child's safety and the witness protection.
why-harassment-no-police = The police have not been informed.
why-initial_assessment = Returned home on { $returned }: make the initial needs assessment by { $due }.
why-school-dropped_out = Aged { $age }, the child has dropped out of school: enrol them again in school or a bridge programme.
why-school-not_enrolled = Aged { $age }, the child is not enrolled in school: enrol them in school or a bridge programme.
why-school-unknown = Aged { $age }, the child is not known to be in school: find out, and enrol them in school or a bridge programme.
why-health_care = The child needs care: take them to the health centre or arrange treatment or counselling, and record it.
why-livelihood_support = The family needs livelihood support: link it to a livelihood scheme, skills training or a provider in the block.
why-apply_for_scheme = The documents for { $scheme } are in hand: file the application.
why-obtain_document = The { $document } is missing; it holds up: { $schemes }.
why-claim-sanction = { $scheme }: applied for on { $since }, not sanctioned after more than { $days } days.
why-claim-payment = { $scheme }: sanctioned on { $since }, not paid after more than { $days } days.
why-claim-follow-up = Follow up with the office.
why-claim-escalate = Raise it with the senior officials.
why-claim-stuck = Stuck: { $why }.
why-visit-overdue = Visit overdue since { $due } (last visit { $last }, every { $days } days at this risk level).
why-visit-due = Visit due on { $due } (last visit { $last }, every { $days } days).

doc-fir = police report (FIR)
doc-counselling_report = counselling report
doc-medical_report = medical report
doc-release_certificate = release certificate
doc-legal_statement = legal statement
doc-bank_account = bank account in the child's name
doc-identity_card = identity card
doc-care_plan = individual care plan
doc-fit_to_travel = fit-to-travel certificate
doc-learning_report = learning-level report card

col-district = District
col-scheme = Scheme
col-waiting = Waiting for
col-total = Total
gaps-days = { $range } days since application
waiting-sanction = sanction
waiting-payment = payment

month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

# The field app's screens (app/ui).
ui-nav = Main screens
ui-back = Back
ui-tab-today = Today
ui-tab-cases = Children
ui-tab-sync = Sync
ui-tab-settings = Settings
ui-tab-spot-checks = Spot checks
ui-tab-register = Register

ui-unlock-title = Unlock Homeward
ui-unlock = Unlock
ui-unlock-hint = The children's records on this phone are encrypted. Without the PIN nobody can read them; a forgotten PIN cannot be recovered here: the records come back by syncing a newly enrolled phone.
ui-pin = PIN
ui-pin-new = New PIN
ui-pin-again = The new PIN again
ui-pin-old = Current PIN
ui-pin-hint = At least 4 digits. Do not share it. Nobody can recover a forgotten PIN.
ui-pin-change = Change PIN
ui-pin-changed = PIN changed.

ui-enrol-title = Set up this phone
ui-enrol-hint = Your supervisor gives you a one-time code. You need a signal only for this step.
ui-server = Server address
ui-enrol-code = Enrolment code
ui-device-name = Name of this phone
ui-enrol = Enrol
ui-enrolling = Enrolling…

ui-today-title = Today
ui-count-urgent = urgent
ui-count-overdue = overdue
ui-count-total = to do
ui-today-empty = Nothing is due. Well done.
ui-urgent = Urgent
ui-day-today = today
ui-day-in = { $days ->
    [one] tomorrow
   *[other] in { $days } days
}
ui-day-ago = { $days ->
    [one] yesterday
   *[other] { $days } days ago
}
ui-never = never

ui-cases-title = Children
ui-register = Register
ui-search = Search
ui-search-hint = Name or village
ui-any = Any
ui-cases-count = { $n ->
    [one] One child
   *[other] { $n } children
}
ui-last-visit = Last visit
ui-next-due = Next visit
ui-conflicts = { $n ->
    [one] One field was changed on two phones; your supervisor will settle it.
   *[other] { $n } fields were changed on two phones; your supervisor will settle them.
}

ui-age = { $years } years
ui-returned-on = Returned home on
ui-record-visit = Record a visit
ui-assess = Initial assessment
ui-next-steps = Next steps
ui-no-prompts = Nothing is due for this child.
ui-needs = Needs
ui-since = since { $date }
ui-documents = Documents
ui-doc-missing = missing
ui-doc-received = received
ui-doc-verified = verified
ui-services = Compensation and entitlements
ui-days-pending = { $days ->
    [one] pending 1 day
   *[other] pending { $days } days
}
ui-none-yet = None yet.
ui-timeline = Visits

ui-visit-kind = Kind of visit
ui-visit-initial-assessment = Initial assessment
ui-visit-follow-up = Home visit
ui-visit-phone = Phone call
ui-visit-urgent = Urgent visit
ui-visit-date = Date of the visit
ui-what-changed = What changed?
ui-what-changed-hint = Tap a need only if its status changed. Leave the others.
ui-note = Note
ui-more = More: who was met, steps agreed
ui-met = Who was met
ui-save = Save
ui-visit-saved = Visit saved on this phone.

ui-assess-step = Need { $n } of { $total }
ui-save-next = Save and next
ui-skip = Skip
ui-assess-later = Stop here, continue later
ui-assess-saved = Assessment saved. Skipped needs can be assessed later.
ui-assess-done = { $left ->
    [0] Every need is assessed.
    [one] One need is still to assess; open the assessment again to do it.
   *[other] { $left } needs are still to assess; open the assessment again to do them.
}
ui-done = Done

ui-register-title = Register a returned child
ui-child = The child
ui-name = Name
ui-other-names = Other names
ui-other-names-hint = Nicknames, name in Hindi, separated by commas
ui-sex = Sex
ui-sex-female = Girl
ui-sex-male = Boy
ui-sex-other = Other
ui-age-years = Age in years
ui-dob = Or date of birth
ui-home = Home
ui-panchayat = Gram panchayat
ui-caregiver = Caregiver's name
ui-relation = Relation
ui-phone = Phone
ui-rescue = Rescue and return
ui-rescue-city = Rescued in (city)
ui-workplace = Kind of workshop
ui-legal-basis = Legal basis for this record
ui-basis-cwc = CWC order
ui-basis-consent = Guardian's consent
ui-basis-ref = Order reference
ui-basis-by = Consent given by
ui-basis-date = Dated
ui-registered = Child registered.

ui-last-sync = Last sync
ui-waiting = Waiting to send
ui-changes = { $n ->
    [0] nothing
    [one] one change
   *[other] { $n } changes
}
ui-sync-now = Sync now
ui-syncing = Syncing…
ui-sync-progress = { $rounds ->
    [one] 1 exchange
   *[other] { $rounds } exchanges
}
ui-sync-done = Up to date: { $sent } changes sent, { $received } received.
ui-sync-hint = Work goes on without a signal: everything is saved on this phone and sent at the next sync.
ui-refused-title = Some changes were not accepted
ui-refused-text = The server did not accept changes to these cases (usually the case is no longer assigned to you). They are kept on this phone; tell your supervisor.
ui-revoked-title = This phone was switched off by the administrator
ui-revoked-text = Its records have been erased from this phone, as happens when a phone is lost or handed over. Nothing is lost: the records are on the server. Enrol again with a new code to continue.
ui-revoked-kept-title = The server says this phone was switched off
ui-revoked-kept-text = This phone still holds { $changes ->
    [one] 1 change
   *[other] { $changes } changes
} and { $outcomes ->
    [one] 1 spot-check result
   *[other] { $outcomes } spot-check results
} that never reached the server, so nothing was erased and it no longer syncs. Keep working if you must, and show the phone to your supervisor.
ui-server-fixed = This phone sends its records only to the server it was set up with. If the server moves, your supervisor sets the phone up again.
ui-continue = Continue
ui-role-fieldworker = fieldworker
ui-role-supervisor = supervisor
ui-role-cwc = CWC member
ui-role-admin = administrator

ui-language = Language
ui-server-hint = Change this only when your supervisor tells you the server has moved.
ui-server-saved = Server address saved.
ui-lock-title = Lock
ui-lock = Lock now

ui-spot-checks-empty = No spot checks are assigned to you yet.
ui-spot-checks-hint = Each month the Core Team draws some reported visits for you to check with the family, unusual ones first. They arrive with the sync; what you record here is sent with the next one.
ui-spot-record = Record what I found
ui-spot-change = Change what I recorded
ui-spot-found = What did you find?
ui-spot-choose = Choose what you found.
ui-spot-note = Write in the note what was wrong, or why the visit could not be verified.
ui-spot-saved = Saved on this phone; sent at the next sync.
ui-spot-waiting = saved on this phone, waiting for the sync
ui-spot-refused = not accepted by the server

ui-err-bad_input = This cannot be saved as it is
ui-err-wrong_pin = Wrong PIN. Try again.
ui-err-not_initialised = This phone is not set up yet.
ui-err-unknown_case = This case is not on this phone.
ui-err-network = No connection to the server. Your work is safe on this phone; try again where there is a signal.
ui-err-refused = The server refused the sync.
ui-err-damaged = A stored case could not be read. Tell your supervisor; do not reset the phone.
ui-err-internal = Something went wrong inside the app.
ui-err-locked = The app is locked. Type your PIN.
ui-err-busy = A sync is already running.
ui-err-date = Give a valid date.
ui-err-future = This date is in the future.
ui-err-pin-short = The PIN needs at least 4 digits.
ui-err-pin-mismatch = The two PINs differ.
ui-err-required = required
ui-err-age = give an age in years or a date of birth
ui-err-phone = not a phone number

# A PIN of at least 6 digits, nothing trivial; wrong PINs wait; the device secret's keystore.
ui-pin-rules = At least 6 digits, not easy to guess: not one digit repeated (111111), not a run (123456, 987654), not a short group repeated (121212). Do not share it. Nobody can recover a forgotten PIN.
ui-err-weak_pin = Choose another PIN.
ui-err-weak_pin-too_short = The PIN needs at least 6 digits.
ui-err-weak_pin-not_digits = The PIN must be digits only.
ui-err-weak_pin-one_digit = This PIN repeats one digit, the first thing anyone tries. Choose another.
ui-err-weak_pin-sequence = This PIN is a run of digits (like 123456), the first thing anyone tries. Choose another.
ui-err-weak_pin-pattern = This PIN repeats a short group (like 121212), the first thing anyone tries. Choose another.
ui-err-wrong_pin-wait = Wrong PIN. Too many wrong PINs in a row: try again in { $seconds ->
    [one] 1 second
   *[other] { $seconds } seconds
}.
ui-err-try_later = Too many wrong PINs in a row. Try again in { $seconds ->
    [one] 1 second
   *[other] { $seconds } seconds
}.
ui-err-erased = Too many wrong PINs: the records on this phone were erased, as your organisation asked. Enrol again with a new code from your supervisor.
ui-err-keystore = This phone's key store cannot be reached, so the records cannot be opened. Tell your supervisor; do not reset the phone.
ui-err-revoked = This phone was switched off by the administrator and no longer syncs.

# Spot checks (dashboard and the supervisor's phone).
spot-title = Spot checks
spot-anomaly-many_places_one_day = visits in { $villages } villages of { $blocks } blocks on one day
spot-anomaly-recorded_late = recorded { $days } days after the visit
spot-anomaly-identical_note = the same note on { $visits } visits (children: { $cases })
spot-random = drawn at random
spot-outcome-verified = verified
spot-outcome-has_issues = has issues
spot-outcome-could_not_verify = could not verify
spot-open = to check

# Reviews (dashboard and the fieldworker's phone).
ui-sent-back-assessment = Assessment sent back by your supervisor
ui-sent-back-closure = Closure sent back by your supervisor
ui-open-case = Open the case

# The case's status on the phone.
ui-status-title = Report missing, close or reopen
ui-status-reason-label = Why (what happened, who said so)
ui-status-since = Since
ui-status-choose = Choose the case's new status.
ui-status-reason = Say why: the Core Team and the CWC read it.
ui-status-saved = Status saved on this phone.
ui-cancel = Cancel

## Field app: follow-up screens
ui-saved = Saved on this phone.
ui-nothing-changed = Nothing was changed.
ui-follow-up = Follow-up
ui-date-day = Day
ui-date-month = Month
ui-date-year = Year
ui-date-clear = Clear the date
ui-err-before-2000 = Check the year: dates before 2000 are not recorded.
ui-err-before-last = This date is before the claim's last recorded step.
ui-err-amount = Write the amount in rupees, digits only.
ui-err-hearing-before-summons = The hearing cannot be before the summons was received.
ui-err-next-hearing = The next hearing must come after this one.
ui-overdue = overdue

ui-today-filter = Show
ui-filter-all = All
ui-filter-urgent = Urgent
ui-filter-overdue = Overdue
ui-filter-week = This week
ui-today-children = { $n ->
    [one] One child
   *[other] { $n } children
}
ui-today-filter-empty = Nothing here. Choose "All" to see everything.
ui-today-never-synced = This phone has no children's records yet. Sync once where there is a signal to bring your caseload.
ui-first-sync = Bringing your children's records to this phone…
ui-first-sync-done = { $n ->
    [0] This phone is set up. No child is assigned to you yet; ask your supervisor.
    [one] This phone is set up: one child's record is here now.
   *[other] This phone is set up: { $n } children's records are here now.
}
ui-first-sync-failed = The records could not be brought yet. Try again where there is a signal.
ui-first-sync-today = See today's work

ui-court-title = Court case
ui-court-ref = Case number
ui-court = Court
ui-court-hint = For example: Special Court (POCSO), Jaipur
ui-lawyer = Lawyer
ui-lawyer-authorised = authorised on { $date }
ui-lawyer-not-yet = not authorised yet
ui-lawyer-given = The family has authorised a lawyer
ui-lawyer-on = Authorised on
ui-lawyer-by = Authorised by
ui-lawyer-by-hint = For example: mother
ui-legal-change = Change case number, court or lawyer
ui-legal-by-needed = Say who in the family authorised the lawyer.
ui-summonses = Summonses and hearings
ui-summons-add = Add a summons
ui-summons-received = summons received { $date }
ui-summons-received-on = Summons received on
ui-hearing-date = Hearing date
ui-hearing-on = Hearing
ui-hearing-of = hearing of { $date }
ui-hearing-follows = next date after an earlier hearing
ui-hearing-outcome-due = Hearing of { $date }: record what happened
ui-mode = How the child will testify
ui-mode-video = By video
ui-mode-in-person = In person at the court
ui-summons-saved = Summons saved. Reach the family about it on your next visit.
ui-hearing-record = Record what happened at the hearing
ui-held-on = Hearing held on
ui-outcome = What happened
ui-outcome-testimony-given = Testimony given
ui-outcome-adjourned = Adjourned to another date
ui-outcome-not-attended = The family did not attend
ui-next-hearing = Next hearing date
ui-next-hearing-set = The court set a new date
ui-hearing-why-label = Why the family did not attend
ui-hearing-choose = Choose what happened at the hearing.
ui-hearing-why = Write why the family did not attend.
ui-hearing-date-needed = Choose the hearing date written on the summons.
ui-next-hearing-needed = Choose the date of the next hearing.
ui-incidents = Harassment
ui-incidents-count = { $n ->
    [one] One harassment incident
   *[other] { $n } harassment incidents
}
ui-incident-add = Record harassment
ui-incident-on = Date of the incident
ui-incident-what = What happened
ui-incident-what-needed = Write what happened.
ui-police-informed-q = The police were informed
ui-police-informed = police informed
ui-police-not-informed = police not informed
ui-police-informed-now = The police have been informed now
ui-incident-saved = Harassment recorded. Check the child's safety on your next visit.

ui-claims-none-open = { $n ->
    [0] No claim yet.
    [one] No open claim (one paid).
   *[other] No open claim ({ $n } paid).
}
ui-claim-add = Add a claim
ui-claim-new = Which scheme?
ui-claim-pick = Choose the scheme.
ui-claim-open-already = This scheme already has an open claim for this child. Record its progress instead of adding another.
ui-claim-applied-q = Applied already?
ui-claim-applied-yes = Applied on
ui-claim-applied-no = Not applied yet
ui-claim-applied-on = Application made on
ui-claim-saved = Claim saved on this phone.
ui-claim-progress = Record progress
ui-claim-progress-saved = Progress saved on this phone.
ui-claim-stage = New stage
ui-claim-stage-on = On
ui-claim-amount = Amount (₹)
ui-claim-stuck = Why it is stuck
ui-claim-stuck-hint = For example: the bank asks for an identity card
ui-claim-nothing = Choose a new stage, or write an amount or why it is stuck.

ui-docs-missing = { $n ->
    [0] every document in hand
    [one] one document missing
   *[other] { $n } documents missing
}
ui-doc-blocks = Holds up
ui-doc-received-today = Received today
ui-doc-verified-today = Verified today
ui-doc-change = Another day
ui-doc-change-state = Change
ui-doc-on = On
ui-doc-saved = Document saved on this phone.

ui-school-title = School
ui-school-kind = School or bridge programme
ui-school-school = School
ui-school-bridge = Bridge programme
ui-school-name = Name of the school
ui-school-bridge-name = Name of the programme
ui-school-class = Class
ui-school-class-hint = For example: 6
ui-school-enrolled = Enrolled
ui-school-enrolled-on = Enrolled on
ui-school-attendance = Attendance
ui-school-attendance-hint = For example: regular, 80%, irregular
ui-school-none = Not known to be in school.
ui-school-kind-needed = Choose school or bridge programme.
ui-school-name-needed = Write the name of the school or programme.

ui-family-title = Family
ui-relation-hint = For example: mother, uncle
ui-caregiver-name-needed = Write the caregiver's name.

ui-risk-title = Risk level
ui-risk-now = Now
ui-risk-computed = Set by the rules from the child's records.
ui-risk-by-rules = set by the rules
ui-risk-overridden = set by hand
ui-risk-set-by = Set by hand by { $name }
ui-risk-clear = Go back to the level the rules set
ui-risk-override = Set the level by hand
ui-risk-reason = Why (what you know that the records do not show)
ui-risk-reason-needed = Write why you set the level by hand.

ui-visit-court = Court and safety
ui-visit-summons-discussed = Discussed the summons with the family (hearing { $date })
ui-visit-safety-checked = Checked the child's safety

# Registration: district and block from the user's areas; likely duplicates first.
ui-choose = Choose
ui-block-other = Another block of this district
ui-block-other-name = Name of the block
ui-areas-unknown = Your districts and blocks come with the first sync. Until then, write them as the CWC order does.
ui-err-area = not one of your areas; choose from the list
ui-dup-title = Is this child already registered?
ui-dup-intro = { $n ->
    [one] A child already on this phone looks like { $name }. Check before registering: two cases for one child split the visits, claims and court dates between them.
   *[other] { $n } children already on this phone look like { $name }. Check before registering: two cases for one child split the visits, claims and court dates between them.
}
ui-dup-matched-as = also written as { $name }
ui-dup-fact-name = same name
ui-dup-fact-district = same district
ui-dup-fact-age = about the same age
ui-dup-fact-village = same village
ui-dup-fact-caregiver = same caregiver
ui-dup-same = The same child: open the case
ui-dup-different-hint = { $n ->
    [one] Not this child?
   *[other] None of them is this child?
}
ui-dup-different = A different child: register
ui-dup-back = Back to the form
ui-dup-not-registered = Nothing registered: this is the child's case.
ui-dup-intro-elsewhere = { $n ->
    [one] A child followed on another phone in your area looks like { $name }. Check before registering: two cases for one child split the visits, claims and court dates between them.
   *[other] { $n } children followed on other phones in your area look like { $name }. Check before registering: two cases for one child split the visits, claims and court dates between them.
}
ui-dup-elsewhere-title = On other phones
ui-dup-followed-by = already followed by { $name } on another phone
ui-dup-followed-by-nobody = on the server, not yet given to a fieldworker
ui-dup-same-elsewhere = The same child
ui-dup-elsewhere-same-title = Nothing registered
ui-dup-ask-supervisor = { $name }'s case is not on this phone. Ask your supervisor to assign it to you: it comes to this phone with your next sync.
ui-dup-done = Back to Today
ui-dup-here-only = Checked on this phone only: the server could not be asked, so a child followed on another phone would not show here.
ui-registered-here-only = Child registered. The check for a second registration was made on this phone only.

# A child registered twice, merged by the supervisor (the Case screen).
ui-case-merged-into = Registered twice: the supervisor merged this case into { $name }'s case, which holds its records now. Record new visits there.
ui-case-merged-into-id = Registered twice: the supervisor merged this case into case { $id }, which holds its records now. Record new visits there.
ui-case-merged-open = Open { $name }'s case
ui-case-merged-not-here = That case is not on this phone: ask your supervisor to assign it to you.
ui-case-merged-from = { $n ->
    [one] This child was also registered separately ({ $ids }); the supervisor merged that case into this one.
   *[other] This child was also registered separately ({ $ids }); the supervisor merged those cases into this one.
}

# When a prompt is due, from today.
ui-due-overdue = { $days ->
    [one] 1 day overdue
   *[other] { $days } days overdue
}
ui-due-today = due today
ui-due-in = { $days ->
    [one] due tomorrow
   *[other] due in { $days } days
}

# The family moved: the phone asks, the supervisor decides on the dashboard.
ui-move-open = The family has moved
ui-move-title = The family has moved
ui-move-hint = Where does the family live now? Your supervisor decides whether the case moves there and who follows the child.
ui-move-reason = Why the family moved
ui-move-reason-hint = For example: the father found work in Patna
ui-move-on = Moved on
ui-move-send = Ask the supervisor to move the case
ui-move-needed = Write the district, block, village and why the family moved.
ui-move-requested = Move requested to { $place }: waiting for the supervisor
ui-move-requested-by = Moved on { $date } · asked by { $name }
ui-move-refused = { $name } did not move the case:
ui-move-saved = Request saved; it reaches your supervisor with the next sync.
ui-claim-before-rescue = This is before the rescue ({ $date }): check the date. It is saved as it is.

## command line
# What `homeward` prints for a person (app/cli). --json prints values, not these words.
cli-error = error: { $message }
cli-warning = warning: { $message }
cli-pin-new = New PIN (at least 6 digits)
cli-warn-file-keystore = the device secret is in a plain key file in { $dir }: whoever copies that folder and the data folder can search the PIN offline; use it for tests, demos and headless machines only
cli-init = created an encrypted store in { $dir }
cli-enrolled = enrolled as device { $device } for { $name } ({ $user }); run `homeward sync`

cli-registered = registered { $name }
cli-no-cases = no cases
cli-last-visit = last visit { $date }
cli-next-visit = next visit { $date }
cli-conflicts = ({ $n } conflicts)
cli-assessed = assessment saved: { $n } need(s)
cli-visit-saved = visit saved
cli-need-set = { $dimension } set to { $status }
cli-summons-saved = summons saved: reach the family within 24 hours
cli-incident-saved = incident saved
cli-incident-updated = incident updated
cli-legal-saved = court case updated
cli-hearing-saved = hearing outcome saved
cli-hearing-next = hearing outcome saved; next hearing recorded
cli-status-set = case status set to { $state }
cli-move-requested = move requested: the supervisor decides after the next sync
cli-school-saved = education record saved
cli-family-saved = caregiver saved
cli-risk-set = risk set to { $risk }
cli-risk-cleared = risk override cleared
cli-claim-saved = claim saved
cli-claim-updated = claim updated
cli-document-set = { $document }: { $state }
cli-warn-before-rescue = applied on { $applied }, before the rescue on { $rescued }: check the date

cli-dup-one = { $name } looks like a child already in this store; nothing was registered. Check the case, and if this is another child, add --not-duplicate:
cli-dup-many = { $name } looks like { $n } children already in this store; nothing was registered. Check the cases, and if this is another child, add --not-duplicate:
cli-dup-case = { $case }  { $name } ({ $village }, { $district }, { $age }): same { $facts }
cli-dup-fact-name = name
cli-dup-fact-name-as = name (as { $name })
cli-dup-fact-district = district
cli-dup-fact-age = age (within { $years } years)
cli-dup-fact-village = village
cli-dup-fact-caregiver = caregiver

cli-today-none = nothing to do on { $date }
cli-today-head = { $n } prompts for { $date }: { $urgent } urgent, { $high } high, { $normal } normal; { $overdue } visits overdue
cli-priority-urgent = URGENT
cli-priority-high = high
cli-priority-normal = normal

cli-show-place = { $village }, { $block } block, { $district } district
cli-show-summary = returned { $returned }  status { $state }  risk { $risk }  next visit { $next }
cli-show-caregiver = caregiver { $name } ({ $relation }) { $phone }
cli-show-needs = needs:
cli-show-documents = documents: { $list }
cli-show-claim = claim { $id } ({ $dimension }) { $scheme }: applied { $applied }, sanctioned { $sanctioned }, paid { $paid }
cli-show-summons = summons { $id }: received { $received }, hearing { $hearing }
cli-show-incident = incident { $id } on { $date }: { $what } ({ $police })
cli-show-visits = visits ({ $n }):
cli-show-prompts = prompts:
cli-show-conflict = conflict at { $path }: { $values }
cli-show-by = { $value } by { $name }
cli-unknown = unknown

cli-sync-retry = { $n } refused changes put back to push
cli-sync-resend = { $n } changes the server had confirmed put back to send again
cli-sync-round = round { $round }: up { $up } changes ({ $sent } bytes), down { $documents } cases and { $changes } changes ({ $received } bytes)
cli-sync-more = , more to come
cli-sync-refused = the server refused { $n } changes to case { $case } ({ $reason }); they stay on this device, set aside (`homeward sync --retry-refused` pushes them again)
cli-synced = synced in { $rounds } round(s): up { $confirmed } changes confirmed ({ $sent } bytes sent); down { $documents } cases and { $changes } changes ({ $received } bytes); { $dropped } cases removed
cli-revoked-wiped = this device was revoked by the administrator: its local store in { $dir } has been wiped; ask for a new enrolment code
cli-revoked-kept = the server says this device was revoked, but { $changes } changes and { $outcomes } spot-check outcomes made here never reached it: the store in { $dir } is kept, not wiped, and no longer syncs; show this device to your supervisor
cli-exported = exported case { $case } to { $file } ({ $bytes } bytes)
cli-imported-new = imported new case { $case }
cli-imported-merged = merged into case { $case }
cli-exported-sealed = exported case { $case } to { $file } ({ $bytes } bytes), sealed to { $to }: whoever carries the file can read nothing of it
cli-sealed-to-server = the server
cli-sealed-to-phone = the phone with key { $key }
cli-warn-plain-export = { $file } is not encrypted: it holds the child's name, the family's phone number and the incidents in clear text, for anyone who gets the file; without --plain the file is sealed to the server
cli-imported-relay = changes made on the other phone go to the server, signed by that phone, at this phone's next sync
cli-err-import-not-case = { $file } is not an exported case: a file for the server or from it is taken with `homeward receive { $file }`
cli-err-import-for-server = { $file } is sealed to the server, not to this phone: give it to the office, or let this phone carry it to the server at its next sync with `homeward receive { $file }`
cli-err-import-for-another = { $file } is sealed to another phone (key { $key }), not this one: give it to that phone
cli-sms-send-to = send this text as one SMS to { $number }
cli-sms-no-number = the server gave no number for urgent SMS: ask your supervisor for it
cli-sms-no-name = it holds no name, only ids, the kind and the dates ({ $chars } characters, one SMS)
cli-err-sms-no-key = this phone has no SMS key yet: sync once with a network, then urgent SMS can be sent
cli-err-sms-unknown-record = case { $case } has no summons or incident { $record }
cli-err-sms-not-urgent = { $record } is { $what ->
    [visit] a visit
    [claim] a claim
    [referral] a referral
   *[copy] a copy of a document
} of case { $case }, not a summons or an incident: only those are sent by SMS
cli-demo-visit = saved visit { $case } { $visit }
cli-demo-done = added { $cases } synthetic cases with { $visits } visits
cli-sent-back-none = nothing was sent back
cli-sent-back = { $case }  { $subject } sent back by { $by }: { $comment }
cli-subject-assessment = assessment
cli-subject-closure = closure
cli-spot-recorded = spot check { $id } recorded on this device; it is sent at the next sync
cli-spot-none = no spot checks to make (they arrive with the sync, for supervisors)
cli-spot-row = { $id }  { $date }  { $child } ({ $village }, { $block }), visit by { $by }: { $why }
cli-verify-ok = ok: { $cases } cases and { $visits } visits, documents and tables agree

# Why a verb failed (FieldError, SchemaError, InvalidEdit and the command line's own).
cli-err-bad_input = { $detail }
cli-err-wrong_pin = wrong PIN for the store in { $dir }
cli-err-erased = { $failures } wrong PINs in a row: the store in { $dir } was erased, as the programme file asks ([unlock] wipe_after_failures); set the device up again with a new enrolment code
cli-err-keystore = { $detail }
cli-err-revoked = this device was revoked by its server on { $at }; it no longer syncs. { $changes } changes and { $outcomes } spot-check outcomes made here never reached the server and are kept on this device: show it to your supervisor
cli-err-not_initialised = no Homeward store in { $dir }: run `homeward init` first
cli-err-already_initialised = a Homeward store already exists in { $dir }
cli-err-unknown_case = no case '{ $case }' in this store
cli-err-ambiguous_case = case id '{ $case }' is ambiguous: it starts { $n } cases; give more characters
cli-err-damaged = stored case { $case } is damaged: { $detail }
cli-err-storage = storage: { $detail }
cli-err-io = { $path }: { $detail }
cli-err-network = sync: { $detail }
cli-err-refused = the server refused the sync: { $detail }
cli-err-random = no randomness available: { $detail }
refused-corrupt = not an automerge document: { $detail }
refused-not_a_case = not a Homeward case document (kind is { $kind })
refused-unsupported_version = case document has schema version { $found }; this version of Homeward reads up to { $max }: update the app
refused-malformed = malformed case document at { $path }: expected { $expected }
refused-not_found = no { $what } with id '{ $id }' in this case
refused-open_claim = an open claim for { $scheme } already exists ({ $id }): record progress on it instead
refused-already_registered = the document already holds case { $case }
refused-merged_away = this case was merged into case { $case } by the supervisor (the child was registered twice): record on that case
refused-automerge = automerge: { $detail }
refused-too_deep = case document nests objects more than { $limit } levels deep
refused-not_allowed = a change may not { $detail }
refused-too_large = case document is too large: more than { $limit } { $what }
refused-status_not_allowed = status '{ $status }' is not one of { $dimension }'s statuses
refused-dates_out_of_order = { $later } ({ $later_on }) cannot be before { $earlier } ({ $earlier_on })
refused-in_future = { $what } ({ $on }) is in the future
refused-too_early = { $what } ({ $on }) is too early: check the year
refused-empty = { $what } must not be empty
refused-required = { $what } is required
refused-duplicate_update = { $dimension } is updated twice in one visit
refused-too_long = { $what } is longer than { $max } characters
refused-too_many = { $what }: more than { $max }
refused-bad_page = page { $page } of the copy is not a valid page reference
refused-copy_withdrawn = copy { $id } was withdrawn: it cannot be verified
refused-copy_not_withdrawn = copy { $id } was not withdrawn
attach-no_pages = a copy needs at least one page
attach-too_many_pages = { $pages } pages: a copy may have at most { $max }
attach-unknown_type = page { $page } is not a photo (JPEG, PNG, WebP) or a PDF
attach-file_too_large = page { $page } is { $kb } KB: a page may be at most { $max } KB (the programme's attachments max_file_kb)
attach-case_too_large = the case would hold { $mb } MB of copies: at most { $max } MB (the programme's attachments max_case_mb)
cli-err-no-data-dir = no data directory on this platform: pass --data DIR
cli-err-pin-read = cannot read the PIN ({ $detail }): set { $var }
cli-err-json = cannot write JSON: { $detail }
cli-err-dob-or-age = give --dob DATE or --age YEARS
cli-err-unknown-risk = unknown risk level '{ $value }' (expected { $expected })
cli-err-assess-verb = record an assessment with `homeward assess`
cli-err-no-summons = case { $case } has no summons '{ $summons }' (`homeward case show { $case }` lists them)
cli-err-legal-nothing = nothing to set: give --court, --reference, --lawyer-authorised-on or --lawyer-authorised-by
cli-err-in-file = { $file }: { $detail }
cli-err-revoked-wiped = the server refused the sync: device revoked; local store wiped
cli-err-revoked-kept = the server refused the sync: device revoked; unconfirmed work kept on this device
cli-err-verify = { $n } problems: the cases' documents and their tables disagree

# The fields an edit names when it is refused (InvalidEdit, SchemaError::NotFound).
field-actor = actor
field-age-estimated-on = age estimated on
field-applied-on = applied on
field-attendance = attendance
field-block = block
field-caregiver-name = caregiver name
field-case-id = case id
field-city = city
field-class = class
field-conflicting-field = conflicting field
field-consent-given-by = consent given by
field-court = court
field-court-case-reference = court case reference
field-cwc-order-reference = CWC order reference
field-date = date
field-date-of-birth = date of birth
field-district = district
field-document-date = document date
field-enrolled-on = enrolled on
field-hearing = hearing
field-hearing-held-on = hearing held on
field-hearing-id = hearing id
field-incident = incident
field-incident-date = incident date
field-incident-id = incident id
field-lawyer-authorised-by = lawyer authorised by
field-lawyer-authorised-on = lawyer authorised on
field-legal-basis-dated = legal basis dated
field-move-request = move request
field-moved-on = moved on
field-name = name
field-need-update-id = need update id
field-need-updates-in-one-visit = need updates in one visit
field-next-hearing = next hearing
field-next-hearing-date = next hearing date
field-next-steps = next steps
field-note = note
field-order-reference = order reference
field-other-name = other name
field-other-names = other names
field-paid-on = paid on
field-panchayat = panchayat
field-path = path
field-phone = phone
field-reason = reason
field-received-on = received on
field-receiving-authority = receiving authority
field-relation = relation
field-rescued-on = rescued on
field-returned-on = returned on
field-sanctioned-on = sanctioned on
field-scheme = scheme
field-school = school
field-service = claim
field-service-id = claim id
field-shelter-home = shelter home
field-status-date = status date
field-summons = summons
field-summons-id = summons id
field-summons-received-on = summons received on
field-value = value
field-value-written-by-actor = value written by actor
field-village = village
field-visit-date = visit date
field-visit-id = visit id
field-what-happened = what happened
field-who-was-met = who was met
field-why-it-is-stuck = why it is stuck
field-why-the-family-did-not-attend = why the family did not attend
field-workplace = workplace

# A field two devices set at once (the dashboard's conflict queue).
conflict-area-school = School
conflict-area-caregiver = Caregiver
conflict-area-address = Address
conflict-area-court = Court case
conflict-area-status = Case status
conflict-area-claim = Claim
conflict-area-risk = Risk set by hand
conflict-key-status = status
conflict-key-note = note
conflict-key-state = state
conflict-key-on = date
conflict-key-kind = school or bridge programme
conflict-key-institution = name of the school
conflict-key-class = class
conflict-key-enrolled_on = enrolled on
conflict-key-attendance = attendance
conflict-key-name = name
conflict-key-relation = relation
conflict-key-phone = phone number
conflict-key-village = village
conflict-key-block = block
conflict-key-applied_on = applied on
conflict-key-sanctioned_on = sanctioned on
conflict-key-paid_on = paid on
conflict-key-amount = amount
conflict-key-stuck_reason = why it is stuck
conflict-key-court_case_ref = case number
conflict-key-court = court
conflict-key-lawyer_authorised_on = lawyer authorised on
conflict-key-lawyer_authorised_by = lawyer authorised by
conflict-key-level = level
conflict-key-reason = reason
conflict-key-since = since

# Issue 12, section 1 leftovers (the CWC report's CSV and summary, closure reasons).
state-closed-in-error = closed: registered in error
closure-follow_up_ended = follow-up over
closure-registered_in_error = registered in error
conflict-key-closure = why closed
ui-closure-title = Why is the case closed?
ui-closure-choose = Choose why the case is closed.
ui-closure-in-error-hint = Registered in error: this is no child of the programme (a mistake, a test). No report will count the case, in any month. A child registered twice is not an error: ask your supervisor to merge the two cases, so no visit is lost.
col-row = Row
row-need = need
row-claim = claim waiting
col-item = Item
col-value = Value
sum-month = Month
sum-blocks-all = all blocks
sum-as-of = Figures as of
sum-month-over = The month is over
sum-yes = yes
sum-no = no
sum-prepared = Prepared on
sum-school-age = Children aged 6 to 14
sum-school-enrolled = Of them, in school or a bridge programme
sum-school-pct = Of them, in school or a bridge programme (%)

# Issue 12, section 3: one programme for every part (the server's programme on the device).
cli-programme-not-used = { $file } is not used: the server's programme (version { $version }) is in force on this device since it synced, so every phone uses the dashboard's thresholds; the server's administrator changes it (homeward-sync-server programme set)
cli-programme-now = the server's programme is now in force on this device (version { $version }): prompts, risk and next visits follow it
cli-programme-refused = this app could not take up the server's programme ({ $reason }); the one in force before stays: update the app

# Issue 12, section 2, Reviews: a closure shows as pending review on the phone until approved.
ui-closure-pending = Closed — waiting for the Core Team's review
ui-closure-pending-in-error = Closed (registered in error) — waiting for the Core Team's review

# The resource map and referrals (issue 17).
prompt-follow_up_referral = Follow up a referral
why-follow_up_referral-referred = Referred to { $resource } on { $since }, with no answer after { $days } days: ask the provider and the family, and record what came of it.
why-follow_up_referral-accepted = Accepted by { $resource } on { $since }, not served after { $days } days: ask why, and record what came of it.
resource-kind-livelihood = Livelihood provider
resource-kind-skills-training = Skills training centre
resource-kind-special-education = Special education or bridge centre
resource-kind-school = School
resource-kind-health = Health facility
resource-kind-counselling = Counselling
resource-kind-legal-aid = Legal aid
resource-kind-government-office = Government office for a scheme
referral-referred = referred
referral-accepted = accepted
referral-served = served
referral-refused = refused
referral-no-response = no response
field-referral-id = referral id
field-referral-step-id = referral step id
field-resource-id = resource id
field-resource-name = resource name
field-referred-on = referred on
field-referral-date = the referral step's date
field-referral-outcome = the referral's outcome (accepted, served, refused or no response)
field-copy = copy
field-copy-id = copy id
field-pages = pages
field-taken-on = the day the copy was taken
field-withdrawn-on = the day the copy was withdrawn
field-verified-on = the day the copy was verified
field-why-it-was-refused = why it was refused
ui-err-resource_not_held = This resource is not on this phone's map. Sync where there is signal, then choose one from the map.
ui-err-resource_inactive = This resource no longer takes referrals. Choose another one.

# The field app's resource map and referrals (issue 17).
ui-resources-tab = Resources
ui-resource-title = Resources for families
ui-resource-not-held = The resource map comes with the first sync. Sync once where there is signal; after that it is searched on the phone, without signal.
ui-resource-search-hint = Name, place or what it offers
ui-resource-block-mine = My blocks
ui-resource-need = For the need
ui-resource-kind = Kind
ui-resource-show-inactive = Show inactive ones too
ui-resource-count = { $n ->
    [one] One resource
   *[other] { $n } resources
}
ui-resource-none-found = Nothing on the map matches.
ui-resource-inactive = inactive
ui-resource-contact = Contact
ui-resource-takes = Takes
ui-resource-ages = ages { $min } to { $max }
ui-resource-age-from = from age { $min }
ui-resource-age-to = up to age { $max }
ui-resource-only-female = girls only
ui-resource-only-male = boys only
ui-resource-only-other = children of other gender only
ui-resource-everyone = everyone
ui-resource-suggested = { $n ->
    [0] no resource on the map for it
    [one] 1 resource can help
   *[other] { $n } resources can help
}
ui-referral-title = Referrals
ui-referral-find = Find help
ui-referral-find-title = Find help: { $need }
ui-referral-pick = Choose where to refer the child or family:
ui-referral-none-suggested = No active resource of { $block } on the map takes this child for this need. Search the whole map on the Resources screen, or ask your supervisor.
ui-referral-to = Refer to { $name }
ui-referral-on = Referred on
ui-referral-note = What for
ui-referral-note-hint = What the family needs, whom to ask for
ui-referral-save = Record the referral
ui-referral-saved = Referral recorded
ui-referral-for = for { $need }
ui-referral-made = Referred on { $date }
ui-referral-reached = { $state } on { $date }
ui-referral-next = Record what came of it:
ui-referral-step-on = Date ({ $state })
ui-referral-refused-label = Why was it refused?
ui-referral-step-saved = Recorded: { $state }
ui-referral-none = No referral yet.
ui-referral-before-made = This day is before the referral was made.
ui-referral-refused-why = Say why it was refused.
ui-referral-prompt-about = { $resource }: { $state } since { $date }

# The resource map and referrals on the command line (issue 17).
cli-resources-none = no resource on this phone's map matches
cli-resource-row = { $id }  { $name } ({ $kind }), { $block } block: { $contact } — { $offers }
cli-resource-inactive = (no longer takes referrals)
cli-err-no-resource-map = there is no resource map on this phone yet: sync (`homeward sync`) to get the resources of your blocks
cli-err-resource-unknown = resource { $id } is not on this phone's resource map: sync, then choose one from `homeward resource list`
cli-err-referral-unknown = case { $case } has no referral { $id }
cli-err-resource-inactive = { $name } no longer takes referrals (the Core Team marked it inactive): choose another from `homeward resource list`
cli-referred = { $name } referred to { $resource } for { $need }
cli-referral-updated = referral to { $resource }: { $state }
cli-suggested = Suggested: { $list }
cli-suggestion = { $name } ({ $kind }, { $contact })
cli-suggestion-no-contact = { $name } ({ $kind })
cli-show-referrals = referrals:
cli-show-referral = referral { $id } to { $resource } ({ $kind }) for { $need }: { $state } — { $steps }
cli-show-referral-step = { $state } { $date }

# The field app's copies of the checklist's documents (issue 15).
ui-copies = { $n ->
    [0] no copy
    [one] 1 copy
   *[other] { $n } copies
}
ui-copy-pages = { $n ->
    [one] 1 page
   *[other] { $n } pages
}
ui-copy-add = Add a copy
ui-copy-add-hint = Photograph each page, or choose the files (photos or a PDF).
ui-copy-choose = Choose files
ui-copy-photo = Take a photo
ui-copy-photo-next = Photograph the next page
ui-copy-taking = { $n ->
    [one] 1 page photographed for this copy
   *[other] { $n } pages photographed for this copy
}
ui-copy-save = Save the copy
ui-copy-adding = Saving the copy…
ui-copy-saved = Copy saved on this phone.
ui-copy-saved-received = Copy saved on this phone, and the document marked received.
ui-copy-taken = Copy of { $date }
ui-copy-by = Taken by { $name }
ui-copy-open = Open
ui-copy-waiting = Waiting to upload: { $size }
ui-copy-on-server = On the server
ui-copy-not-here = Not on this phone yet
ui-copy-download = Download
ui-copy-downloading = Downloading page { $page } of { $pages }: { $received } of { $size }
ui-copy-downloaded = Copy downloaded to this phone.
ui-copy-withdraw = Withdraw
ui-copy-withdraw-reason = Why is this copy wrong?
ui-copy-withdraw-confirm = Withdraw this copy
ui-copy-withdraw-needs-reason = Say why the copy is withdrawn.
ui-copy-withdrawn = Withdrawn on { $date }: { $reason }
ui-copy-withdrawn-saved = Copy withdrawn. Its pages are removed from this phone.
ui-copy-verified = Verified by { $name } on { $date }
ui-copy-page = Page { $page } of { $pages }
ui-copy-zoom = tap to enlarge or shrink
ui-copy-pdf = PDF, { $size }. This phone cannot show a PDF here; it is kept with the case and sent to the server.
ui-copy-loading = Opening…
ui-copy-close = Close
ui-copies-waiting = Copies to send
ui-copies-waiting-size = { $size } in { $pages ->
    [one] 1 page
   *[other] { $pages } pages
}
ui-copies-sent = Copies: { $sent } of { $size } sent
ui-copies-skipped = { $n ->
    [one] The server did not take 1 page of a copy this time (usually the case is no longer yours). It stays on this phone; tell your supervisor if it keeps happening.
   *[other] The server did not take { $n } pages of copies this time (usually the case is no longer yours). They stay on this phone; tell your supervisor if it keeps happening.
}
ui-err-attach = This copy cannot be saved.
ui-err-unreadable_page = A page could not be read as a photo or a PDF.
ui-err-unknown_attachment = This copy is not on this phone any more.
ui-err-no_such_page = This copy has no such page.
ui-err-not_on_server = The server does not have this copy yet: the phone that took it has not sent it. Try again after that phone's next sync.
ui-err-not_held = This page is not on this phone: download the copy first.
cli-attached = copy of { $document } attached: { $pages ->
    [one] 1 page
   *[other] { $pages } pages
}, { $kb } KB
cli-attachments-none = no copies of documents in this case
cli-attachment-row = { $id }  { $document }  { $pages ->
    [one] 1 page
   *[other] { $pages } pages
}  { $kb } KB  taken { $date }  { $state }
cli-attachment-state-synced = on the server
cli-attachment-state-waiting = waiting to upload ({ $kb } KB)
cli-attachment-state-withdrawn = withdrawn on { $date }: { $reason }
cli-attachment-state-not-held = on the server, not on this phone
cli-attachment-verified = verified by { $name } on { $date }
cli-attachment-fetching = page { $page } of { $pages }: { $kb } of { $size } KB
cli-attachment-withdrawn = copy { $id } of { $document } withdrawn; its pages were removed from this phone
cli-sync-copies = copies of documents: { $pages ->
    [one] 1 page
   *[other] { $pages } pages
} sent ({ $sent } bytes); { $waiting } bytes still waiting ({ $waiting_pages ->
    [one] 1 page
   *[other] { $waiting_pages } pages
})
cli-sync-page-skipped = page { $page } was not sent: { $reason }; it waits on this phone
cli-show-copies = { $n ->
    [one] 1 copy
   *[other] { $n } copies
}
cli-err-page-unreadable = page { $page } does not read as a photo ({ $detail })
cli-err-page-too-large = page { $page } is too large an image to reduce on a phone
cli-err-attachment-unknown = no copy '{ $id }' among the cases on this phone: see `homeward attachments CASE`
cli-err-attachment-ambiguous = copy id '{ $id }' is ambiguous: it starts { $n } copies; give more characters
cli-err-no-such-page = copy { $id } has { $pages } pages: there is no page { $page }
cli-err-not-on-server = the server does not hold page { $page } of copy { $id } yet: the phone that took it has not sent it; try again after that phone's next sync
cli-err-attachment-withdrawn = copy { $id } was withdrawn on { $date }: its pages are no longer kept

## Sealed files and signed statements (issue 14): why one was refused. Nothing in it was read.
sealed-not_sealed = this is not a Homeward sealed file
sealed-unknown = this sealed file is of a kind or version this Homeward does not know: update Homeward
sealed-not_for_server = this file is sealed to key { $key }, which is not one of this server's: it is meant for another server, or for a key retired long ago
sealed-not_for_phone = this file is sealed to key { $key }, which is not this phone's: it is meant for another phone
sealed-damaged = this file is damaged or was changed after it was made (cut short, or a byte in it differs): nothing in it was read
sealed-bad_signature = the signature does not match { $signer }: the file was not made by who it says, and nothing in it was used
sealed-unknown_signer = { $signer } is not known here (key { $key }), so its signature cannot be checked: sync once with a network, then try again
sealed-wrong_kind = this file holds something else than what was asked for here
sealed-malformed = this file's content cannot be read: { $detail }
sealed-too_large = this file is larger than any sealed file Homeward makes
sealed-bad_key_text = not a Homeward public key (expected hwkey1: followed by 128 hexadecimal digits)
sealed-other_device = this file is for device { $device }, not this phone: nothing changed
sealed-replay = this file is older than what this phone already has (a replay): nothing changed
sealed-ahead = this file was made for a phone further along than this one (it lacks what came before): ask for a new file, or sync; nothing changed

## Urgent events by SMS on a supervisor's phone (issue 14)
cli-urgent-none = no urgent events by SMS waiting for their record (they arrive with the sync, for supervisors)
cli-urgent-summons = { $child } ({ $case }): court summons received { $received }, hearing { $hearing }. By SMS from { $by } at { $at }; the full record has not arrived yet
cli-urgent-incident = { $child } ({ $case }): harassment incident on { $on }, { $police }. By SMS from { $by } at { $at }; the full record has not arrived yet
cli-urgent-police-yes = police informed
cli-urgent-police-no = police not informed

## Field app: files instead of a network, urgent SMS, this phone's key (issue 14)
ui-files-title = No network? Carry a file
ui-files-hint = Where there is no signal for days, your changes can travel as a file: on a pen drive, by Bluetooth or on a colleague's phone.
ui-bundle-share = Share my changes as a file
ui-bundle-making = Making the file…
ui-bundle-saved = File saved:
ui-bundle-holds = It holds { $changes } of { $cases }, { $outcomes } and { $pages }: { $size } in all.
ui-bundle-cases = { $n ->
    [one] one case
   *[other] { $n } cases
}
ui-bundle-outcomes = { $n ->
    [0] no spot-check result
    [one] one spot-check result
   *[other] { $n } spot-check results
}
ui-bundle-pages = { $n ->
    [0] no page of a copy
    [one] one page of a copy
   *[other] { $n } pages of copies
}
ui-bundle-safe = Whoever carries this file can neither read nor change it.
ui-bundle-next = Give it to your supervisor, or to anyone going where there is a signal: the server takes it. Your next sync sends these changes again only if the file never arrived.
ui-bundle-nothing = Nothing to share: the server already has every change made on this phone.
ui-receive = Receive a file
ui-receive-hint = A file the server made for this phone (your supervisor brings it), or a colleague's file to pass on to the server.
ui-receive-reading = Reading the file…
ui-received-applied = { $n ->
    [0] File applied: nothing new for this phone.
    [one] File applied: one update received.
   *[other] File applied: { $n } updates received.
}
ui-received-confirmed = { $n ->
    [one] The server confirms one change made here: it will not be sent again.
   *[other] The server confirms { $n } changes made here: they will not be sent again.
}
ui-received-kept = Kept to pass on to the server at the next sync. This phone cannot read it.
ui-received-already = This file is already on this phone, waiting to be passed on.
ui-received-case = Case imported: { $name }, sent from another phone. The server also gets it, signed by that phone, at the next sync.
ui-received-refused = Refused, nothing changed:
ui-relay-title = Files to pass on to the server
ui-relay-none = No file waiting to be passed on.
ui-relay-waiting = Waiting for the next sync
ui-relay-refused = Refused by the server: { $reason }
ui-relay-kind-device_bundle = Changes made on another phone
ui-relay-kind-case_export = A case sent from another phone
ui-relay-remove = Remove
ui-relay-removed = File removed from this phone.
ui-relay-got = Received { $date } · { $size }
ui-relay-sent = { $n ->
    [one] One file passed on to the server.
   *[other] { $n } files passed on to the server.
}
ui-relay-sent-refused = { $n ->
    [one] The server refused one file passed on: see below.
   *[other] The server refused { $n } files passed on: see below.
}
ui-seal-title = Send as a sealed file
ui-seal-hint = The whole case in one file that only its recipient can open, for when there is no network.
ui-seal-to-server = To the server
ui-seal-to-phone = To a colleague's phone
ui-seal-key = The colleague's phone key
ui-seal-key-hint = She finds it in Settings, under "This phone's key", and sends it to you.
ui-seal-key-needed = Paste the colleague's phone key.
ui-seal-send = Make the sealed file
ui-seal-saved = Sealed file saved:
ui-seal-safe-server = Only the server can open it: whoever carries it can neither read nor change it.
ui-seal-safe-phone = Only that phone can open it: whoever carries it can neither read nor change it.
ui-sms-title = Send by SMS
ui-sms-hint = When only SMS gets through: the supervisor sees this summons or incident today; the full record follows with the next sync or file.
ui-sms-summons = Summons received { $received }, hearing { $hearing }
ui-sms-incident = Incident on { $on }
ui-sms-make = Send by SMS
ui-sms-text = The message ({ $chars } characters)
ui-sms-number = To
ui-sms-open = Open in SMS app
ui-sms-copy = Copy
ui-sms-copied = Copied.
ui-sms-no-name = This message holds no name: only the case number, the kind of event and its dates, with a code the server checks.
ui-key-title = This phone's key
ui-key-hint = A colleague pastes it to send a case to this phone as a sealed file. It opens nothing by itself: it is safe to share.
ui-key-copy = Copy
ui-key-none = This phone has no key yet: the next sync makes it.
ui-revoked-removed-title = This phone was removed from Homeward
ui-revoked-removed = This phone was removed from Homeward by the Core Team on { $date }.
ui-revoked-removed-undated = The Core Team removed this phone from Homeward.
ui-revoked-leftover = { $changes ->
    [one] The one change
   *[other] The { $changes } changes
} not yet on the server { $changes ->
    [one] was
   *[other] were
} kept in a sealed file that only the server can read:
ui-revoked-leftover-do = Give it to your supervisor or admin, or it travels with the next sync after the phone is set up again.
ui-revoked-nothing-left = Nothing made on this phone was missing from the server.
ui-revoked-deleted = Everything else on this phone was deleted.
ui-revoked-all-deleted = Everything on this phone was deleted.
ui-revoked-unverified-title = The server's answer could not be verified
ui-revoked-unverified = The server's answer could not be verified; nothing was deleted. Keep working: the next sync asks again.
ui-err-sealed = This file was refused. Nothing changed.
ui-err-unverified_revocation = The server's answer could not be verified; nothing was deleted. Keep working: the next sync asks again.
ui-err-urgent = No SMS could be made for this record. This phone gets its SMS key at a sync with a network.
ui-err-not_saved = The file could not be saved.

## Bundles, files received by hand, the relay queue and the keys on the command line (issue 14)
cli-bundle-made = bundle { $seq } written to { $file }: { $changes ->
    [one] 1 change
   *[other] { $changes } changes
} of { $cases ->
    [one] 1 case
   *[other] { $cases } cases
}, { $outcomes } spot-check outcomes and { $pages } pages of copies, { $bytes } bytes. It is sealed to the server: whoever carries it can neither read nor change it. Give it to your supervisor or to anyone going where there is a network; your next sync sends these changes again only if the server never got the file
cli-bundle-nothing = nothing to carry: the server has every change made on this device, so no file was written
cli-received-applied = the server's file is applied: { $documents } cases and { $changes } changes received; the server confirms { $confirmed } changes made here
cli-received-kept = kept to pass on to the server at the next sync ({ $kind } { $id }); this device cannot read it
cli-received-already = this file is already held to pass on ({ $kind } { $id }): not kept twice
cli-relay-none = no file waiting to be passed on to the server
cli-relay-row = { $id }  { $kind }, received { $at }, { $bytes } bytes: goes to the server at the next sync
cli-relay-row-refused = { $id }  { $kind }, received { $at }, { $bytes } bytes: refused by the server ({ $reason }), not sent again; `homeward relay drop { $id }` removes it
cli-relay-dropped = { $kind } { $id } removed from this device
cli-keys-device = device { $device }, key { $id } (give this text to a colleague who sends a case to this phone):
    { $text }
cli-keys-none = this device has no keys yet: the next sync with a network makes them
cli-keys-no-server = no key of the server yet: sync once with a network
cli-keys-server = server key { $id }, in use since { $since }
cli-sync-relayed = passed on to the server: { $kind } { $id } of { $user } (device { $device }), { $changes } changes and { $pages } pages stored
cli-sync-relayed-already = passed on to the server: { $kind } { $id } of { $user } (device { $device }) was already there; nothing stored twice
cli-sync-relayed-case-refused = in that file, case { $case } was refused by the server and nothing of it stored: { $reason }
cli-sync-relay-refused = the server refused the file { $id } passed on: { $reason }; it stays on this device and is not sent again (`homeward relay drop { $id }` removes it)
cli-revoked-leftover = the server revoked this device (its signed statement was verified). The { $changes } changes, { $outcomes } spot-check outcomes and { $pages } pages of copies it did not have are sealed to the server in { $file }: only the server can read that file. Everything else in { $dir } was wiped. Give the file to your supervisor or administrator (homeward-sync-server bundle import), or enrol again in this folder: the next sync passes it on
cli-err-unverified_revocation = the server answered that this device was revoked, but that answer could not be verified ({ $detail }): nothing was deleted, the records on this device are kept and the next sync asks again; if it keeps happening, tell your supervisor

## A supervisor's Today: urgent events that came by SMS (issue 14)
ui-urgent-sms-title = Urgent, by SMS
ui-urgent-sms-summons = Court summons received { $received }, hearing on { $hearing }
ui-urgent-sms-incident = Harassment on { $date }, police not informed
ui-urgent-sms-incident-police = Harassment on { $date }, police informed
ui-urgent-sms-from = By SMS from { $name }, { $at }. The full record has not arrived yet.
