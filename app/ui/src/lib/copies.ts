// Copies of the checklist's documents (issue 15): what the Documents screen says of them. Pure:
// the copies come from the `attachments` command; the bytes are never read here.
import type { AttachmentView, DocumentKind, MediaType } from './types';

/** What "Choose files" accepts: what the field core reduces (photos) or keeps (PDFs). */
export const ACCEPT = 'image/jpeg,image/png,image/webp,application/pdf';

/**
 * What "Take a photo" accepts. Tauri's Android web view (wry's `onShowFileChooser`) opens the
 * camera only for an input whose accept types include exactly `image/*` and whose `capture` is
 * set; with the list above it opens the file picker.
 */
export const CAMERA_ACCEPT = 'image/*';

/** Whether the web view is a phone's, where "Take a photo" opens the camera (on a desktop it would open a file picker). */
export function offersCamera(userAgent: string): boolean {
  return /Android|iPhone|iPad/i.test(userAgent);
}

/** One checklist item's copies: the active ones, oldest first, their pages, and those withdrawn. */
export interface ItemCopies {
  active: AttachmentView[];
  withdrawn: AttachmentView[];
  pages: number;
}

export function copiesOf(views: AttachmentView[], kind: DocumentKind): ItemCopies {
  const mine = views.filter((v) => v.attachment.kind === kind);
  const active = mine.filter((v) => !v.attachment.withdrawn);
  return {
    active,
    withdrawn: mine.filter((v) => v.attachment.withdrawn),
    pages: active.reduce((n, v) => n + v.attachment.pages.length, 0),
  };
}

/**
 * Where a copy stands: `waiting` while the server lacks bytes of pages taken here; `not-here`
 * when a page is not on this phone (taken on another phone: a download brings it); else
 * `on-server` (uploaded whole, or downloaded from the server).
 */
export type CopyPlace = 'waiting' | 'not-here' | 'on-server';

export function copyPlace(v: AttachmentView): CopyPlace {
  if (v.waiting_bytes > 0) return 'waiting';
  if (v.held.some((h) => !h)) return 'not-here';
  return 'on-server';
}

/** The copy's bytes, all pages. */
export function copySize(v: AttachmentView): number {
  return v.attachment.pages.reduce((n, p) => n + p.size, 0);
}

/** Whether the web view shows the page as an image (a PDF gets a line saying what it is). */
export function isImage(m: MediaType): boolean {
  return m !== 'application/pdf';
}

/** The chosen files' bytes, in the order chosen. */
export async function readFiles(files: ArrayLike<File>): Promise<Uint8Array[]> {
  return Promise.all(Array.from(files, async (f) => new Uint8Array(await f.arrayBuffer())));
}

/** Who took a copy, when not this phone's user (`null` for her own copies: she knows). */
export function takenByOther(v: AttachmentView, userName: string | null | undefined): string | null {
  const by = v.attachment.recorded_by.name;
  return by === userName ? null : by;
}
