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

export interface Summons {
  id: string;
  received_on: Day;
  hearing_on: Day;
  mode: string | null;
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

export interface Case extends Profile {
  id: string;
  needs: Need[];
  education: {
    kind: string | null;
    institution: string | null;
    enrolled_on: Day | null;
    attendance: string | null;
  };
  services: Service[];
  legal: {
    court_case_ref: string | null;
    lawyer_authorised_on: Day | null;
    summonses: Summons[];
    incidents: Incident[];
  };
  documents: Record<string, { state: 'missing' | 'received' | 'verified'; on: Day | null }>;
  visits: Visit[];
  status: { state: CaseState; reason: string | null; since: Day };
}

export interface ConflictValue {
  value: string;
  actor: string;
  author: Author | null;
}

export interface CaseView {
  case: Case;
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
      };
      updates: NeedUpdate[];
    }
  | { edit: 'set_need'; update: NeedUpdate; on: Day }
  | { edit: 'set_status'; state: CaseState; reason: string | null; since: Day };

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
