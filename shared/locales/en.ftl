# Homeward messages, English. Every message here exists in hi.ftl too (a test checks).
# Shared by the reports, the command line and (with the field-app issue) the UI.

report-title = CWC monthly progress report
report-district-month = District { $district }, { $month }
report-prepared = Prepared on { $date } by Homeward.
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
agg-comp-median = Median days pending since application
agg-livelihood = Livelihood and skills linkages
agg-harassment = Harassment incidents
agg-missing = Children missing or re-trafficked
agg-stabilised = Children whose needs all became settled
agg-closed = Cases closed

col-case = Case
col-child = Child
col-block = Block
col-village = Village
col-risk = Risk
col-state = Status
col-visits = Visits this month
col-dimension = Need
col-start = Status at start
col-end = Status at end
col-changes = Changes this month
col-pending-since = Pending since
col-next-steps = Next steps
col-agreed-steps = Agreed at the last visit

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
prompt-initial_assessment = Make the initial assessment
prompt-school_enrolment = Enrol in school
prompt-escalate_claim = Escalate a stuck claim
prompt-follow_up_claim = Follow up a claim
prompt-apply_for_scheme = Apply for a scheme
prompt-obtain_document = Obtain a missing document
prompt-visit_overdue = Visit overdue
prompt-visit_due = Visit due
prompt-due = due { $date }

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
