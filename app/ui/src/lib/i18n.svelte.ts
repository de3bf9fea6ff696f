// The screens' language: one reactive value, read by `t`, so switching re-renders every text.
import type { FluentVariable } from '@fluent/bundle';
import { message } from './catalogue';
import type { Lang } from './types';

export const i18n = $state<{ lang: Lang }>({ lang: 'hi' });

export function t(id: string, args?: Record<string, FluentVariable>): string {
  return message(i18n.lang, id, args);
}

/**
 * The screen language of the app's setting (`AppStatus.lang`, any text in Rust): Hindi unless
 * it is English, as the app itself reads an unset or unknown setting.
 */
export function langOf(setting: string): Lang {
  return setting === 'en' ? 'en' : 'hi';
}

export function setLang(lang: Lang): void {
  i18n.lang = lang;
  document.documentElement.lang = lang;
}
