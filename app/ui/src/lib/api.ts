// The only module that talks to the Tauri side: one typed function per command of homeward-app.
import { Channel, invoke } from '@tauri-apps/api/core';
import type {
  AppStatus,
  AttachmentView,
  BundleSaved,
  CaseHelp,
  ChunkSent,
  CaseView,
  Cases,
  Day,
  Dimension,
  DimensionStatuses,
  DocumentKind,
  Edit,
  Enrolled,
  Fetched,
  KnownArea,
  PageFetched,
  Profile,
  Resource,
  ResourceList,
  ResourceQuery,
  Received,
  RelayItem,
  Round,
  Scheme,
  SentBack,
  SimilarChildren,
  SpotChecks,
  SpotOutcome,
  SyncStatus,
  Synced,
  Today,
  UrgentItem,
  UrgentText,
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
  /** Syncs: each round of records on `onRound`, then each chunk of a copy's page the server confirmed on `onChunk`. */
  sync: (onRound: (r: Round) => void, onChunk: (c: ChunkSent) => void = () => undefined) => {
    const progress = new Channel<Round>();
    progress.onmessage = onRound;
    const pages = new Channel<ChunkSent>();
    pages.onmessage = onChunk;
    return call<Synced>('sync', { progress, pages });
  },
  syncStatus: () => call<SyncStatus>('sync_status'),
  changePin: (oldPin: string, newPin: string) => call<void>('change_pin', { oldPin, newPin }),
  setLanguage: (lang: string) => call<string>('set_language', { lang }),
  vocabulary: () => call<DimensionStatuses[]>('vocabulary'),
  /** The programme's schemes, named in the screen's language. */
  schemes: () => call<Scheme[]>('schemes'),
  spotChecks: () => call<SpotChecks>('spot_checks'),
  urgent: () => call<UrgentItem[]>('urgent'),
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
  /**
   * Attaches a copy of a checklist document: its pages travel as one raw body (never a JSON array
   * of numbers), their sizes in a header; answers the case's copies as they now stand.
   */
  attach: (id: string, kind: DocumentKind, takenOn: Day, pages: Uint8Array[]) => {
    const { body, sizes } = joinPages(pages);
    return callRaw<AttachmentView[]>('attach', body, {
      'homeward-case': id,
      'homeward-kind': kind,
      'homeward-taken-on': takenOn,
      'homeward-page-sizes': sizes,
    });
  },
  /** A case's copies, withdrawn ones too, with which pages this phone holds. */
  attachments: (id: string) => call<AttachmentView[]>('attachments', { id }),
  /** One page's bytes (`page` from 0); a `not_held` error when this phone does not hold it. */
  attachmentPage: async (attachmentId: string, page: number) =>
    new Uint8Array(await call<ArrayBuffer>('attachment_page', { id: attachmentId, page })),
  /** Withdraws a wrong copy with the reason; its pages leave this phone. */
  withdrawAttachment: (id: string, attachmentId: string, reason: string, on: Day) =>
    call<AttachmentView[]>('withdraw_attachment', { id, attachmentId, reason, on }),
  /** Downloads the pages of a copy taken on another phone, with progress. */
  fetchAttachment: (attachmentId: string, onProgress: (p: PageFetched) => void) => {
    const progress = new Channel<PageFetched>();
    progress.onmessage = onProgress;
    return call<Fetched>('fetch_attachment', { id: attachmentId, progress });
  },
  /** "Share my changes as a file": the sealed file saved (its path and what it holds); null when the server has everything. */
  exportBundle: () => call<BundleSaved | null>('export_bundle'),
  /** "Receive a file": the file's bytes as one raw body; answers what it did (refused: an error, nothing changed). */
  receive: (bytes: Uint8Array) => callRaw<Received>('receive', bytes, {}),
  /** The files held to pass on to the server at the next sync. */
  relayList: () => call<RelayItem[]>('relay_list'),
  /** Removes a file held to pass on; answers those left. */
  relayDrop: (id: string) => call<RelayItem[]>('relay_drop', { id }),
  /** A case as a sealed file, to the server (`to` null) or to a colleague's phone key; answers the file's path. */
  exportSealedCase: (id: string, to: string | null) => call<string>('export_sealed_case', { id, to }),
  /** The urgent SMS of a summons or incident of the case (no name in it) and its number. */
  urgentSms: (id: string, record: string) => call<UrgentText>('urgent_sms', { id, record }),
  /** This phone's public key as text (`hwkey1:...`) for colleagues; null before the next sync makes it. */
  publicKey: () => call<string | null>('public_key'),
};

/** The pages one after another in one body, and their sizes as `attach` reads them. */
export function joinPages(pages: Uint8Array[]): { body: Uint8Array; sizes: string } {
  const body = new Uint8Array(pages.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pages) {
    body.set(p, at);
    at += p.length;
  }
  return { body, sizes: pages.map((p) => p.length).join(',') };
}

async function callRaw<T>(cmd: string, body: Uint8Array, headers: Record<string, string>): Promise<T> {
  try {
    return await invoke<T>(cmd, body, { headers });
  } catch (e) {
    throw toCommandError(e);
  }
}
