// The shapes the Tauri commands answer with: serde's JSON of homeward-shared and homeward-field
// types. Dates are `YYYY-MM-DD`, moments RFC 3339.

export type Lang = 'hi' | 'en';
export type Day = string;
export type Risk = 'high' | 'medium' | 'stable';
export type Dimension =
  | 'education'
  | 'compensation'
  | 'entitlements'
  | 'livelihood'
  | 'legal'
  | 'health'
  | 'documents';
export type Status = string;
export type VisitKind = 'initial-assessment' | 'follow-up' | 'phone' | 'urgent';
export type Priority = 'urgent' | 'high' | 'normal';
export type CaseState = 'active' | 'closed' | 'transferred' | 'missing' | 'retrafficked';

export interface Author {
  user_id: string;
  name: string;
}

export interface AppStatus {
  initialised: boolean;
  unlocked: boolean;
  enrolled: boolean;
  user_name: string | null;
  role: string | null;
  server: string | null;
  suggested_server: string | null;
  lang: Lang;
  today: Day;
}

export interface Prompt {
  case_id: string;
  kind: string;
  priority: Priority;
  due: Day;
  dimension: Dimension | null;
  subject: string | null;
  reason: string;
}

export interface TodayPrompt extends Prompt {
  name: string;
  village: string;
}

export interface Today {
  day: Day;
  prompts: TodayPrompt[];
}

export interface CaseRow {
  id: string;
  name: string;
  district: string;
  block: string;
  village: string;
  state: CaseState;
  risk: Risk;
  last_visit: Day | null;
  next_due: Day | null;
  conflicts: number;
}

export interface Cases {
  rows: CaseRow[];
  blocks: string[];
}

export interface StatusChange {
  id: string;
  status: Status;
  on: Day;
  by: Author;
  recorded_at: string;
  visit_id: string | null;
  note: string | null;
}

export interface Need {
  dimension: Dimension;
  status: Status;
  note: string | null;
  history: StatusChange[];
}

export interface Visit {
  id: string;
  date: Day;
  by: Author;
  kind: VisitKind;
  met: string | null;
  note: string | null;
  next_steps: string | null;
  recorded_at: string;
  updates: [Dimension, Status][];
  /** The summons discussed with the family during this visit, if any. */
  summons_id: string | null;
  /** Whether the child's safety was checked (after a harassment incident). */
  safety_checked: boolean;
}

export interface Service {
  id: string;
  dimension: 'compensation' | 'entitlements';
  scheme: string;
  applied_on: Day | null;
  sanctioned_on: Day | null;
  paid_on: Day | null;
  amount: number | null;
  stuck_reason: string | null;
}

export type HearingMode = 'video' | 'in-person';
export type HearingResult = 'testimony-given' | 'adjourned' | 'not-attended';

/** What happened at a summons' hearing, once recorded. */
export interface HearingOutcome {
  held_on: Day;
  result: HearingResult;
  /** The next hearing's date (adjourned, or missed and set again): a summons of its own follows. */
  next_hearing_on: Day | null;
  /** Why the family did not attend, or any note. */
  note: string | null;
  recorded_by: Author;
  recorded_at: string;
}

/** A court summons, or a later hearing of the same case (`follows`: the hearing it continues). */
export interface Summons {
  id: string;
  received_on: Day;
  hearing_on: Day;
  mode: HearingMode | null;
  follows: string | null;
  outcome: HearingOutcome | null;
  recorded_by: Author;
  recorded_at: string;
}

export interface Incident {
  id: string;
  on: Day;
  what: string;
  police_informed: boolean;
}

export type Birth = { dob: Day } | { estimated: { years: number; as_of: Day } };

export interface Caregiver {
  name: string;
  relation: string;
  phone: string | null;
}

export interface Address {
  district: string;
  block: string;
  panchayat: string | null;
  village: string;
}

export interface Child {
  name: string;
  other_names: string[];
  sex: 'female' | 'male' | 'other';
  birth: Birth;
  caregiver: Caregiver | null;
  address: Address;
}

export interface Rescue {
  city: string | null;
  workplace: string | null;
  rescued_on: Day | null;
  shelter_home: string | null;
  cwc_order_ref: string | null;
  returned_on: Day;
  receiving_authority: string | null;
}

export type LegalBasis =
  | { kind: 'cwc_order'; reference: string; dated: Day }
  | { kind: 'guardian_consent'; given_by: string; dated: Day };

export interface Profile {
  case_id: string;
  child: Child;
  rescue: Rescue;
  legal_basis: LegalBasis;
}

/** A fact a likely duplicate shares with the child being registered. */
export type LikenessFact = 'name' | 'district' | 'age' | 'village' | 'caregiver';

/** An active case that may be the child being registered (`similar_cases`), best first. */
export interface Likeness {
  case_id: string;
  /** The case's child's name. */
  name: string;
  /** The case's name or other name that matched one of the new child's names. */
  matched_name: string;
  village: string;
  district: string;
  /** The case's child's age today. */
  age: number;
  /** Always name, district and age, then village, caregiver or both. */
  matched: LikenessFact[];
}

export interface Case extends Profile {
  id: string;
  needs: Need[];
  education: Education;
  services: Service[];
  legal: {
    court_case_ref: string | null;
    court: string | null;
    lawyer_authorised_on: Day | null;
    lawyer_authorised_by: string | null;
    summonses: Summons[];
    incidents: Incident[];
  };
  documents: Record<string, { state: DocumentState; on: Day | null }>;
  visits: Visit[];
  risk_override: { level: Risk; by: Author; reason: string; at: string } | null;
  status: {
    state: CaseState;
    reason: string | null;
    since: Day;
    /** A move asked for on a phone, waiting for the supervisor's decision (absent in older cases). */
    move_request?: MoveRequest | null;
    /** The supervisor's last decision on a move request (absent in older cases). */
    move_decision?: MoveDecision | null;
  };
}

/** Where a family moved, as a fieldworker asked the supervisor to transfer the case. */
export interface MoveRequest {
  district: string;
  block: string;
  village: string;
  reason: string;
  on: Day;
  requested_by: Author;
}

/** A supervisor's decision on a move request: approved (the address is the new one) or refused. */
export interface MoveDecision {
  approved: boolean;
  note: string | null;
  by: Author;
}

/** A district a child may be registered in on this phone (`areas`), with its blocks. */
export interface KnownArea {
  district: string;
  blocks: string[];
  /** The user's area is the whole district: another block of it may be typed. */
  whole_district: boolean;
}

export type Schooling = 'school' | 'bridge';
export type DocumentState = 'missing' | 'received' | 'verified';
export type ServiceDimension = 'compensation' | 'entitlements';

export interface Education {
  kind: Schooling | null;
  institution: string | null;
  enrolled_on: Day | null;
  attendance: string | null;
  class: string | null;
}

/** A scheme of the programme (the `schemes` command), its name in the screen's language. */
export interface Scheme {
  key: string;
  dimension: ServiceDimension;
  name: string;
  /** The documents an application needs. */
  requires: string[];
}

export interface ConflictValue {
  value: string;
  actor: string;
  author: Author | null;
}

export interface CaseView {
  case: Case;
  /** The child's age in whole years today (computed by homeward-shared). */
  age: number;
  /** Every document kind of the checklist, in display order. */
  document_kinds: string[];
  risk: Risk;
  next_visit: { due: Day; interval_days: number; last_visit: Day; stretched: boolean } | null;
  prompts: Prompt[];
  conflicts: { path: string; values: ConflictValue[] }[];
}

export interface NeedUpdate {
  id: string;
  dimension: Dimension;
  status: Status;
  note: string | null;
}

export interface NewService {
  id: string;
  dimension: ServiceDimension;
  scheme: string;
  applied_on: Day | null;
  sanctioned_on: Day | null;
  paid_on: Day | null;
  amount: number | null;
  stuck_reason: string | null;
}

/** Progress on a claim: `null` leaves a field as it is. */
export interface ServiceProgress {
  id: string;
  applied_on: Day | null;
  sanctioned_on: Day | null;
  paid_on: Day | null;
  amount: number | null;
  stuck_reason: string | null;
}

/** Every edit a screen makes: serde's JSON of homeward_shared::edit::Edit (`tag = "edit"`). */
export type Edit =
  | {
      edit: 'record_visit';
      visit: {
        id: string;
        date: Day;
        kind: VisitKind;
        met: string | null;
        note: string | null;
        next_steps: string | null;
        summons_id: string | null;
        safety_checked: boolean;
      };
      updates: NeedUpdate[];
    }
  | { edit: 'set_need'; update: NeedUpdate; on: Day }
  | { edit: 'set_status'; state: CaseState; reason: string | null; since: Day }
  | ({ edit: 'add_service' } & NewService)
  | ({ edit: 'update_service' } & ServiceProgress)
  | ({ edit: 'set_education' } & Education)
  | { edit: 'add_summons'; id: string; received_on: Day; hearing_on: Day; mode: HearingMode | null }
  | {
      edit: 'record_hearing';
      /** Id of the next hearing, appended as a summons of its own when `next_hearing_on` is set. */
      id: string;
      summons_id: string;
      held_on: Day;
      outcome: HearingResult;
      next_hearing_on: Day | null;
      note: string | null;
    }
  | {
      edit: 'set_legal';
      court_case_ref: string | null;
      court: string | null;
      lawyer_authorised_on: Day | null;
      lawyer_authorised_by: string | null;
    }
  | { edit: 'add_incident'; id: string; on: Day; what: string; police_informed: boolean }
  | { edit: 'update_incident'; id: string; police_informed: true }
  | { edit: 'set_document'; kind: string; state: DocumentState; on: Day }
  | ({ edit: 'set_caregiver' } & Caregiver)
  | { edit: 'override_risk'; level: Risk | null; reason: string }
  | { edit: 'request_transfer'; district: string; block: string; village: string; reason: string; on: Day };

export type Stability = 'critical' | 'unknown' | 'unmet' | 'in_progress' | 'settled';

export interface DimensionStatuses {
  dimension: Dimension;
  statuses: { status: Status; stability: Stability }[];
}

export interface Round {
  number: number;
  pushed: number;
  sent_bytes: number;
  received_bytes: number;
  more: boolean;
}

export interface SyncReport {
  rounds: number;
  confirmed: number;
  sent_bytes: number;
  received_bytes: number;
  documents: number;
  changes: number;
  dropped: number;
  refused: [string, number, string][];
}

export interface Synced {
  /** The server says this device was revoked. */
  revoked: boolean;
  /** Its store was wiped (nothing on it was missing from the server). */
  wiped: boolean;
  /** Work made here that never reached the server, kept with the store. */
  kept_changes: number;
  kept_outcomes: number;
  report: SyncReport | null;
}

export interface SyncStatus {
  server: string | null;
  last_sync: string | null;
  waiting: number;
  refused: [string, number, string][];
  syncing: boolean;
  /** When the server said this device was revoked, if it kept its store (work unconfirmed). */
  revoked_at: string | null;
  /** Changes and spot-check outcomes made here that the server does not hold. */
  unconfirmed: [number, number];
}

export interface Enrolled {
  user_name: string;
  role: string;
}

/** Why a visit was drawn for a spot check (externally tagged, as serde writes it). */
export type Anomaly =
  | { many_places_one_day: { villages: number; blocks: number } }
  | { recorded_late: { days: number } }
  | { identical_note: { visits: number; cases: number } };

export interface SpotCheckTask {
  id: string;
  month: string;
  case_id: string;
  child_name: string;
  visit_date: Day;
  fieldworker_name: string;
  district: string;
  block: string;
  village: string;
  anomalies: Anomaly[];
}

/** An assessment or closure a supervisor sent back, with their comment. */
export interface SentBack {
  case_id: string;
  subject: 'assessment' | 'closure';
  comment: string;
  by: string;
  at: string;
}

export type SpotOutcome = 'verified' | 'has_issues' | 'could_not_verify';

/** An outcome recorded on this phone, waiting for the sync (or refused by the server). */
export interface LocalOutcome {
  id: string;
  outcome: SpotOutcome;
  note: string;
  at: string;
  refused: string | null;
}

export interface SpotChecks {
  tasks: SpotCheckTask[];
  recorded: LocalOutcome[];
}
