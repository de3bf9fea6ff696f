// The message catalogues: shared/locales/{en,hi}.ftl, the same files the reports and the
// command line read (homeward-shared's i18n module). Pure: no Svelte state here.
import { FluentBundle, FluentResource, type FluentVariable } from '@fluent/bundle';
import enSource from '../../../../shared/locales/en.ftl?raw';
import hiSource from '../../../../shared/locales/hi.ftl?raw';
import type { Lang } from './types';

export const SOURCES: Record<Lang, string> = { en: enSource, hi: hiSource };

export function makeBundle(lang: Lang, source: string = SOURCES[lang]): FluentBundle {
  // Isolation marks (U+2068/9) would travel into copied text and tests: names are plain text.
  const bundle = new FluentBundle(lang === 'hi' ? 'hi-IN' : 'en-IN', { useIsolating: false });
  const errors = bundle.addResource(new FluentResource(source));
  if (errors.length > 0) throw new Error(`${lang}.ftl: ${errors.map(String).join('; ')}`);
  return bundle;
}

const BUNDLES: Record<Lang, FluentBundle> = { en: makeBundle('en'), hi: makeBundle('hi') };

/** The message `id` in `lang`; a missing message shows its id (and a test fails on it). */
export function message(lang: Lang, id: string, args?: Record<string, FluentVariable>): string {
  const bundle = BUNDLES[lang];
  const m = bundle.getMessage(id);
  if (!m?.value) return id;
  // A missing argument shows as {$name} instead of breaking the screen.
  const errors: Error[] = [];
  return bundle.formatPattern(m.value, args, errors);
}

export function hasMessage(lang: Lang, id: string): boolean {
  return BUNDLES[lang].hasMessage(id);
}

/** Every message id of a catalogue source. */
export function messageIds(source: string): string[] {
  return new FluentResource(source).body.map((entry) => entry.id).filter((id) => !id.startsWith('-'));
}
