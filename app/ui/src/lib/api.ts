// The only module that talks to the Tauri side: one typed function per command of homeward-app.
import { Channel, invoke } from '@tauri-apps/api/core';
import type {
  AppStatus,
  CaseHelp,
  CaseView,
  Cases,
  Day,
  Dimension,
  DimensionStatuses,
  Edit,
  Enrolled,
  KnownArea,
  Profile,
  Resource,
  ResourceList,
  ResourceQuery,
  Round,
  Scheme,
  SentBack,
  SimilarChildren,
  SpotChecks,
  SpotOutcome,
  SyncStatus,
  Synced,
  Today,
} from './types';

/**
 * A refused command: `kind` is stable (words come from the catalogue), `message` is English;
 * `seconds` is the wait after too many wrong PINs, `reason` why a new PIN was refused, `worded` a
 * refused edit in the app's language (shown instead of `message`).
 */
export class CommandError extends Error {
  kind: string;
  seconds: number | null;
  reason: string | null;
  /** A refused edit already worded in the app's language (the core words it). */
  worded: string | null;
  constructor(
    kind: string,
    message: string,
    seconds: number | null = null,
    reason: string | null = null,
    worded: string | null = null,
  ) {
    super(message);
    this.kind = kind;
    this.seconds = seconds;
    this.reason = reason;
    this.worded = worded;
  }
}

export function toCommandError(e: unknown): CommandError {
  if (e instanceof CommandError) return e;
  if (e && typeof e === 'object' && 'kind' in e && 'message' in e) {
    const o = e as { kind: unknown; message: unknown; seconds?: unknown; reason?: unknown; worded?: unknown };
    return new CommandError(
      String(o.kind),
      String(o.message),
      typeof o.seconds === 'number' ? o.seconds : null,
      typeof o.reason === 'string' ? o.reason : null,
      typeof o.worded === 'string' ? o.worded : null,
    );
  }
  return new CommandError('internal', String(e));
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toCommandError(e);
  }
}

export const api = {
  status: () => call<AppStatus>('status'),
  enrol: (server: string, code: string, pin: string | null, deviceName: string) =>
    call<Enrolled>('enrol', { server, code, pin, deviceName }),
  unlock: (pin: string) => call<void>('unlock', { pin }),
  lock: () => call<void>('lock'),
  today: () => call<Today>('today'),
  cases: (search: string | null, risk: string | null, block: string | null) =>
    call<Cases>('cases', { search, risk, block }),
  caseView: (id: string) => call<CaseView>('case_view', { id }),
  register: (profile: Profile) => call<string>('register', { profile }),
  /**
   * The active cases that may be this child, best first, on this phone and (asked of the server
   * when online, 8 s at most) on other phones of the user's areas; ask before `register`.
   */
  similarCases: (profile: Profile) => call<SimilarChildren>('similar_cases', { profile }),
  /** The districts and blocks a child may be registered in (empty before the first sync). */
  areas: () => call<KnownArea[]>('areas'),
  edit: (id: string, edit: Edit) => call<CaseView>('edit', { id, edit }),
  sync: (onRound: (r: Round) => void) => {
    const progress = new Channel<Round>();
    progress.onmessage = onRound;
    return call<Synced>('sync', { progress });
  },
  syncStatus: () => call<SyncStatus>('sync_status'),
  changePin: (oldPin: string, newPin: string) => call<void>('change_pin', { oldPin, newPin }),
  setLanguage: (lang: string) => call<string>('set_language', { lang }),
  vocabulary: () => call<DimensionStatuses[]>('vocabulary'),
  /** The programme's schemes, named in the screen's language. */
  schemes: () => call<Scheme[]>('schemes'),
  spotChecks: () => call<SpotChecks>('spot_checks'),
  recordSpotCheck: (id: string, outcome: SpotOutcome, note: string) =>
    call<void>('record_spot_check', { id, outcome, note }),
  sentBack: () => call<SentBack[]>('sent_back'),
  /** The resource map held on the phone, searched offline (`held` false before the first sync). */
  resources: (query: ResourceQuery) => call<ResourceList>('resources', { query }),
  /** The active resources of the child's block that answer a need and take this child. */
  suggestedResources: (id: string, dimension: Dimension) => call<Resource[]>('suggested_resources', { id, dimension }),
  /** The needs of a case that call for outside help with no open referral, and how many resources each has. */
  caseHelp: (id: string) => call<CaseHelp>('case_help', { id }),
  /** Refers the child to a resource of the held map (its kind and name recorded from the map). */
  refer: (id: string, resourceId: string, dimension: Dimension, on: Day, note: string | null) =>
    call<CaseView>('refer', { id, resourceId, dimension, on, note }),
};
