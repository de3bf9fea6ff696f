# The resource map and referrals in the server's pages and reports (issue 17): ids map-*.
# The field app's words for them are in en.ftl, the dashboard's resource pages' in web.en.ftl.
map-referrals = Referrals

# The CWC report: the month's referrals (first page), each child's referrals, the CSV rows.
map-report-referrals = Referrals this month, by kind of provider
map-report-referrals-hint = Each step counts in the month it happened: a referral made in November and served in December counts as made in November's report and as served in December's.
map-report-referrals-none = No referral was made, accepted, served or refused this month.
map-report-child-referrals = Referrals (where each stood at the end of the month)
map-col-provider = Provider
map-col-kind = Kind of provider
map-col-referred-on = Referred on
map-col-state = State
map-col-state-on = Since
map-col-note = Last note
map-col-made = Made
map-col-accepted = Accepted
map-col-served = Served
map-col-not-served = Refused or no response
map-kind-all = All kinds
map-kinds-all = all kinds
map-row-referral = referral
map-provider-kind = { $name } ({ $kind })
map-sum-made = Referrals made: { $kind }
map-sum-accepted = Referrals accepted: { $kind }
map-sum-served = Referrals served: { $kind }
map-sum-not-served = Referrals refused or with no response: { $kind }

# The systemic gaps page and CSV: what the resource map reveals.
map-gaps-claims = Claims waiting
map-gaps-missing = Children needing help that no active provider of their block gives
map-gaps-missing-hint = Active children whose need calls for outside help today (livelihood support, school, health care), by block, where the resource map has no active provider of a kind that gives it: find one and add it to the map.
map-gaps-missing-none = In every block, the children needing outside help have an active provider of that help on the map.
map-col-would-help = Providers that would help
map-col-children-needing = Children needing it
map-gaps-unanswered = Providers whose referrals go unanswered
map-gaps-unanswered-hint = Every referral made to each provider so far (not only this month's): those recorded as "no response", or still without an answer { $days } days after they were made, are unanswered. Worth a call to the provider.
map-gaps-unanswered-none = No provider has a referral left unanswered.
map-col-referrals-made = Referrals made to it
map-col-unanswered = Unanswered
map-gaps-time = How long referrals take to be served
map-gaps-time-hint = The referrals served, by block and kind of provider: half were served within this many days of the referral, the other half took longer.
map-gaps-time-none = No referral has been served yet.
map-col-served-count = Referrals served
map-col-days-to-service = Half served within (days)
map-gaps-rule = The resource map's three tables follow the same rule: a count of fewer than { $n } children or referrals is shown as "<{ $n }", and the days to service of fewer than { $n } referrals are not shown: they would be one family's.

# The case page.
map-case-referrals-none = No referral yet.
map-col-steps = What came of it
map-col-state-now = Where it stands
