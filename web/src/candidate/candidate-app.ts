import type { Language } from '@viva/protocol/interview-schemas.js';
import { h } from '../shared/dom.js';
import { onUiLanguageChange, setUiLanguage, t, type MessageKey, type UiLanguage } from '../shared/i18n.js';
import { ApiError } from '../shared/http-json.js';
import { brand, languageToggle } from '../shared/language-toggle.js';
import { ConnectionIndicator } from './connection-indicator.js';
import { renderConsentView } from './consent-view.js';
import { fetchInvite, fetchReport, startInterview, type InviteDetails } from './interview-api.js';
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
import { renderInviteView, renderStartView, type StartDetails } from './start-view.js';

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

/** The key of an invite link (`/?invite=…`) from a hiring team's template, if the page was opened by one. */
function inviteFromLink(): string | undefined {
  const invite = new URLSearchParams(location.search).get('invite');
  return invite !== null && /^[A-Za-z0-9_-]{16,128}$/.test(invite) ? invite : undefined;
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

  const showInvite = async (invite: string, name = '') => {
    const loading = h('div', { class: 'loading', attrs: { role: 'status' } }, h('span', { class: 'spinner' }), h('span', { i18n: 'invite.loading' }));
    show(loading, { focus: main });
    let details: InviteDetails;
    try {
      details = await fetchInvite(invite);
    } catch (error) {
      const message = error instanceof ApiError && error.status === 0 ? t('error.network') : t('invite.invalid');
      show(h('div', { class: 'card step-card' }, pageAlert(message, false)));
      return;
    }
    // the interview's language is the team's choice: the consent step is read in it
    setUiLanguage(details.interview.language);
    const form = renderInviteView({
      invite: details,
      initialName: name,
      onSubmit: (submittedName) =>
        showConsent(
          { name: submittedName, role: details.interview.role, level: 'mid', language: details.interview.language },
          { invite, onBack: () => void showInvite(invite, submittedName) },
        ),
    });
    show(form, { focus: form.querySelector<HTMLElement>('input') });
  };

  const showConsent = (submitted: StartDetails, invited?: { invite: string; onBack: () => void }) => {
    const view = renderConsentView({
      onBack: () => (invited === undefined ? showStart() : invited.onBack()),
      onAgree: async () => {
        try {
          const started = await startInterview(
            invited === undefined
              ? {
                  candidate: { name: submitted.name },
                  interview: { role: submitted.role, level: submitted.level, language: submitted.language, ...testOverrides() },
                }
              : { candidate: { name: submitted.name }, invite: invited.invite },
          );
          const interview: SavedInterview = { sessionId: started.session_id, token: started.session_token, lastSeq: 0, language: submitted.language };
          saveInterview(interview);
          // a reload must land back in this interview, not start another from the invite
          if (invited !== undefined) history.replaceState(null, '', location.pathname);
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

  const invite = inviteFromLink();
  if (invite !== undefined) void showInvite(invite);
  else if (saved !== undefined) showInterview(saved);
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
