// The screens' language: one reactive value, read by `t`, so switching re-renders every text.
import type { FluentVariable } from '@fluent/bundle';
import { message } from './catalogue';
import type { Lang } from './types';

export const i18n = $state<{ lang: Lang }>({ lang: 'hi' });

export function t(id: string, args?: Record<string, FluentVariable>): string {
  return message(i18n.lang, id, args);
}

export function setLang(lang: Lang): void {
  i18n.lang = lang;
  document.documentElement.lang = lang;
}
