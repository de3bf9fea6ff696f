// The app's shared state: status, vocabulary, the current screen and a short notice.
import { api } from './api';
import { i18n, langOf, setLang } from './i18n.svelte';
import { Navigator, type Screen } from './nav';
import type { AppStatus, DimensionStatuses, Lang, Scheme } from './types';

const navigator = new Navigator();

export const app = $state<{
  status: AppStatus | null;
  vocabulary: DimensionStatuses[];
  screen: Screen;
  canGoBack: boolean;
  notice: string | null;
  /** Set by a successful enrolment: the Sync screen then runs the first sync by itself. */
  firstSync: boolean;
}>({ status: null, vocabulary: [], screen: navigator.screen, canGoBack: false, notice: null, firstSync: false });

function show(screen: Screen): void {
  app.screen = screen;
  app.canGoBack = navigator.depth > 0;
  window.scrollTo?.(0, 0);
}

export const nav = {
  go: (s: Screen) => show(navigator.go(s)),
  replace: (s: Screen) => show(navigator.replace(s)),
  back: () => show(navigator.back()),
  tab: (name: Parameters<Navigator['tab']>[0]) => show(navigator.tab(name)),
};

export async function refreshStatus(): Promise<AppStatus> {
  const status = await api.status();
  app.status = status;
  setLang(langOf(status.lang));
  if (status.unlocked && app.vocabulary.length === 0) app.vocabulary = await api.vocabulary();
  return status;
}

let noticeTimer: ReturnType<typeof setTimeout> | undefined;

/** A short confirmation at the bottom of the screen ("Visit saved"). */
export function notify(text: string): void {
  app.notice = text;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => (app.notice = null), 4000);
}

let schemes: { lang: Lang; list: Scheme[] } | null = null;

/** The programme's schemes, named in the screen's language (asked again after a switch). */
export async function loadSchemes(): Promise<Scheme[]> {
  if (schemes?.lang !== i18n.lang) {
    const lang = i18n.lang;
    schemes = { lang, list: await api.schemes() };
  }
  return schemes.list;
}
