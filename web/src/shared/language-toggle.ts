import { h, icon, icons } from './dom.js';
import { localizeAttributes, onUiLanguageChange, setUiLanguage, uiLanguage, type UiLanguage } from './i18n.js';

/** A button that switches the interface between English and Chinese (it names the other language). */
export function languageToggle(onChange: (language: UiLanguage) => void = () => undefined): HTMLButtonElement {
  const button = h(
    'button',
    { class: 'button button-quiet language-toggle', attrs: { type: 'button' } },
    icon(icons.globe),
    h('span', { i18n: 'language.toggle', attrs: { lang: 'x' } }),
  );
  localizeAttributes(button, { 'aria-label': 'language.toggleLabel', title: 'language.toggleLabel' });
  // the label names the other language in that language, so screen readers should read it as such
  const label = button.querySelector('span');
  const syncLang = () => label?.setAttribute('lang', uiLanguage() === 'en' ? 'zh-CN' : 'en');
  syncLang();
  onUiLanguageChange(syncLang);
  button.addEventListener('click', () => {
    const next: UiLanguage = uiLanguage() === 'en' ? 'zh' : 'en';
    setUiLanguage(next);
    onChange(next);
  });
  return button;
}

/** The brand mark and name of the top bar. */
export function brand(taglineKey: 'app.tagline' | 'admin.tagline'): HTMLElement {
  return h(
    'div',
    { class: 'brand' },
    h('span', { class: 'brand-mark', attrs: { 'aria-hidden': 'true' }, text: 'V' }),
    h('span', { i18n: 'app.name' }),
    h('span', { class: 'brand-tagline', i18n: taglineKey }),
  );
}
