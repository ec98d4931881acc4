import { en, type MessageKey } from './strings-en.js';
import { zh } from './strings-zh.js';

export type UiLanguage = 'en' | 'zh';
export type { MessageKey };

const dictionaries: Record<UiLanguage, Record<MessageKey, string>> = { en, zh };
const listeners = new Set<(language: UiLanguage) => void>();
let current: UiLanguage = 'en';

export function isUiLanguage(value: unknown): value is UiLanguage {
  return value === 'en' || value === 'zh';
}

export function isMessageKey(value: string): value is MessageKey {
  return Object.hasOwn(en, value);
}

export function uiLanguage(): UiLanguage {
  return current;
}

/** The text of `key` in the current language, with `{name}` placeholders filled from `params`. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = dictionaries[current][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/**
 * Switches the language: updates `<html lang>`, every element marked with `data-i18n` or
 * `data-i18n-attrs`, and then the components that render text with parameters (their listeners).
 */
export function setUiLanguage(language: UiLanguage): void {
  current = language;
  document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
  translateTree(document.body);
  for (const listener of listeners) listener(language);
}

export function onUiLanguageChange(listener: (language: UiLanguage) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Marks attributes of `element` for translation, e.g. `localizeAttributes(input, { placeholder: 'x' })`;
 * they are set now and on every language change.
 */
export function localizeAttributes<E extends HTMLElement>(element: E, attributes: Record<string, MessageKey>): E {
  element.dataset.i18nAttrs = Object.entries(attributes)
    .map(([name, key]) => `${name}=${key}`)
    .join(';');
  translateElement(element);
  return element;
}

/** Applies translations to `root` and everything below it (used after building a view). */
export function translateTree(root: ParentNode & Node): void {
  if (root instanceof HTMLElement) translateElement(root);
  for (const element of root.querySelectorAll<HTMLElement>('[data-i18n], [data-i18n-attrs]')) translateElement(element);
}

function translateElement(element: HTMLElement): void {
  const textKey = element.dataset.i18n;
  if (textKey !== undefined && isMessageKey(textKey)) element.textContent = t(textKey);
  const attributes = element.dataset.i18nAttrs;
  if (attributes === undefined) return;
  for (const pair of attributes.split(';')) {
    const [name, key] = pair.split('=');
    if (name && key && isMessageKey(key)) element.setAttribute(name, t(key));
  }
}
