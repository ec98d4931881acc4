import type { Language } from '../../../src/protocol/interview-schemas.js';
import { h } from '../shared/dom.js';
import { onUiLanguageChange, setUiLanguage, t, type MessageKey, type UiLanguage } from '../shared/i18n.js';
import { ApiError } from '../shared/http-json.js';
import { brand, languageToggle } from '../shared/language-toggle.js';
import { ConnectionIndicator } from './connection-indicator.js';
import { renderConsentView } from './consent-view.js';
import { fetchReport, printableReportUrl, startInterview } from './interview-api.js';
import { InterviewScreen } from './interview-screen.js';
import { renderReport } from './report-view.js';
import {
  forgetInterview,
  loadSavedInterview,
  loadUiLanguage,
  saveInterview,
  saveUiLanguage,
  type SavedInterview,
} from './saved-interview.js';
import { renderStartView, type StartDetails } from './start-view.js';

/** The WebSocket endpoint on the server this page came from. */
function webSocketUrl(): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/api/v1/ws`;
}

/**
 * A link from a recruiter (`/?session=…&token=…`, for sessions created over HTTP in token auth mode)
 * joins that session. The token is taken out of the address bar at once, so it is not left in history.
 */
function interviewFromLink(): SavedInterview | undefined {
  const params = new URLSearchParams(location.search);
  const sessionId = params.get('session');
  if (sessionId === null || !/^[A-Za-z0-9_-]{1,128}$/.test(sessionId)) return undefined;
  const language = params.get('lang') === 'zh' ? 'zh' : 'en';
  history.replaceState(null, '', location.pathname);
  return { sessionId, token: params.get('token') ?? undefined, lastSeq: 0, language };
}

/**
 * The candidate app: start form → consent → interview → report. What survives a reload is in
 * localStorage (saved-interview.ts), so a reload lands back in the same interview.
 */
export function startCandidateApp(root: HTMLElement): void {
  const linked = interviewFromLink();
  if (linked !== undefined && linked.sessionId !== loadSavedInterview()?.sessionId) saveInterview(linked);
  const saved = loadSavedInterview();
  const browserLanguage: UiLanguage = navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
  setUiLanguage(loadUiLanguage() ?? saved?.language ?? browserLanguage);

  const connection = new ConnectionIndicator();
  connection.element.hidden = true;
  const main = h('main', { class: 'main', attrs: { id: 'main', tabindex: -1 } });
  root.replaceChildren(
    h('header', { class: 'topbar' }, brand('app.tagline'), h('div', { class: 'topbar-spacer' }), connection.element, languageToggle(saveUiLanguage)),
    main,
  );
  const setTitle = () => {
    document.title = `${t('app.name')} · ${t('app.tagline')}`;
  };
  setTitle();
  onUiLanguageChange(setTitle);

  let screen: InterviewScreen | undefined;
  // what the form shows: the last submitted details, so "Back" from the consent step keeps them
  let details: Partial<StartDetails> = { language: saved?.language ?? loadUiLanguage() ?? browserLanguage };

  const show = (view: HTMLElement, options: { interview?: boolean; focus?: HTMLElement | null } = {}) => {
    root.classList.toggle('is-interview', options.interview === true);
    main.className = options.interview === true ? 'main-interview' : 'main';
    main.replaceChildren(view);
    connection.element.hidden = options.interview !== true;
    // move focus to the new step's heading, so keyboard and screen reader users start at its top
    (options.focus ?? view.querySelector<HTMLElement>('h1') ?? main).focus();
  };

  const pageAlert = (key: MessageKey | string, isKey = true) =>
    h('p', { class: 'alert alert-error page-alert', attrs: { role: 'alert' } }, isKey ? t(key as MessageKey) : key);

  const showStart = (problem?: HTMLElement) => {
    screen?.close();
    screen = undefined;
    const form = renderStartView({
      initial: details,
      onLanguage: (language: Language) => {
        setUiLanguage(language);
        saveUiLanguage(language);
      },
      onSubmit: (submitted) => {
        details = submitted;
        showConsent(submitted);
      },
    });
    const wrapper = h('div', {}, problem ?? null, form);
    show(wrapper, { focus: form.querySelector<HTMLElement>('input') });
  };

  const showConsent = (submitted: StartDetails) => {
    const view = renderConsentView({
      onBack: () => showStart(),
      onAgree: async () => {
        try {
          const started = await startInterview({
            candidate: { name: submitted.name },
            interview: { role: submitted.role, level: submitted.level, language: submitted.language, ...testOverrides() },
          });
          const interview: SavedInterview = { sessionId: started.session_id, token: started.session_token, lastSeq: 0, language: submitted.language };
          saveInterview(interview);
          showInterview(interview);
        } catch (error) {
          const message = error instanceof ApiError && error.status === 0 ? t('error.network') : error instanceof Error ? error.message : t('error.generic');
          view.querySelector('.page-alert')?.remove();
          view.prepend(pageAlert(message, false));
        }
      },
    });
    show(view);
  };

  const showInterview = (interview: SavedInterview) => {
    screen?.close();
    const current = new InterviewScreen(interview, webSocketUrl(), {
      connection: (state) => connection.update(state),
      ended: (reportUrl) => void showReport(interview, reportUrl),
      fatal: (key) => {
        current.close();
        if (key === 'error.sessionGone') {
          forgetInterview();
          showStart(pageAlert(key));
          return;
        }
        const reload = h('button', { class: 'button button-secondary', attrs: { type: 'button' }, i18n: 'error.reload', on: { click: () => location.reload() } });
        show(h('div', { class: 'card step-card' }, h('p', { class: 'alert alert-warning', attrs: { role: 'alert' } }, t(key)), h('div', { class: 'actions' }, reload)));
      },
    });
    screen = current;
    connection.update('connecting');
    show(current.element, { interview: true, focus: null });
    void current.start();
  };

  const showReport = async (interview: SavedInterview, reportUrl: string) => {
    screen?.close();
    screen = undefined;
    const loading = h('div', { class: 'loading', attrs: { role: 'status' } }, h('span', { class: 'spinner' }), h('span', { i18n: 'report.loading' }));
    show(loading, { focus: main });
    try {
      const report = await fetchReport(reportUrl, interview.token);
      const view = renderReport(report, {
        printableUrl: printableReportUrl(reportUrl, interview.token),
        onNewInterview: () => {
          forgetInterview();
          details = { language: interview.language };
          showStart();
        },
      });
      show(view);
    } catch (error) {
      const retry = h('button', { class: 'button', attrs: { type: 'button' }, i18n: 'report.retry', on: { click: () => void showReport(interview, reportUrl) } });
      show(
        h(
          'div',
          { class: 'card step-card' },
          h('p', { class: 'alert alert-error', attrs: { role: 'alert' } }, t('report.failed', { message: error instanceof Error ? error.message : '' })),
          h('div', { class: 'actions' }, retry),
        ),
      );
    }
  };

  if (saved !== undefined) showInterview(saved);
  else showStart();
}

/**
 * `?questions=N` shortens the interview (demos and the end-to-end tests); without it the server's
 * default length applies.
 */
function testOverrides(): { question_count?: number } {
  const count = Number(new URLSearchParams(location.search).get('questions'));
  return Number.isInteger(count) && count >= 1 && count <= 30 ? { question_count: count } : {};
}
