import { brand, languageToggle } from '../shared/language-toggle.js';
import { h } from '../shared/dom.js';
import { onUiLanguageChange, setUiLanguage, t } from '../shared/i18n.js';
import { ApiError } from '../shared/http-json.js';
import { AdminApi } from './admin-api.js';
import { renderLogin, loginProblem } from './login-view.js';
import { noticeForm } from './notice-form.js';
import { Poller } from './poller.js';
import { SessionDetailPanel } from './session-detail.js';
import { SessionsPanel } from './sessions-panel.js';
import { StatsPanel } from './stats-panel.js';
import { InterviewsPanel } from './interviews-panel.js';
import { TemplatesPanel } from './templates-panel.js';

const TOKEN_KEY = 'viva.admin-token';
const LANGUAGE_KEY = 'viva.admin-language';
/** How often the dashboard asks for stats, sessions and the followed transcript, milliseconds. */
const POLL_MS = 2_000;

/**
 * The admin dashboard: sign in with the admin token (kept in sessionStorage, so it ends with the tab),
 * then live statistics, connected sessions, one session's transcript, messages and broadcasts.
 */
export function startAdminApp(root: HTMLElement): void {
  const storedLanguage = sessionStorage.getItem(LANGUAGE_KEY);
  setUiLanguage(storedLanguage === 'zh' ? 'zh' : 'en');
  const main = h('main', { class: 'admin-main', attrs: { id: 'main', tabindex: -1 } });
  const signOut = h('button', { class: 'button button-quiet', attrs: { type: 'button', hidden: true }, i18n: 'admin.signOut' });
  root.replaceChildren(
    h('header', { class: 'topbar' }, brand('admin.tagline'), h('div', { class: 'topbar-spacer' }), languageToggle((language) => sessionStorage.setItem(LANGUAGE_KEY, language)), signOut),
    main,
  );
  document.title = t('admin.title');
  onUiLanguageChange(() => {
    document.title = t('admin.title');
  });

  let stopDashboard: (() => void) | undefined;
  const showLogin = (error?: string) => {
    stopDashboard?.();
    stopDashboard = undefined;
    signOut.hidden = true;
    sessionStorage.removeItem(TOKEN_KEY);
    main.replaceChildren(
      h(
        'div',
        { class: 'login-wrap' },
        renderLogin({
          error,
          check: async (token) => {
            try {
              await new AdminApi(token).stats();
            } catch (problem) {
              return problem instanceof ApiError ? loginProblem(problem.status, problem.message) : t('error.generic');
            }
            sessionStorage.setItem(TOKEN_KEY, token);
            showDashboard(token);
            return undefined;
          },
        }),
      ),
    );
  };
  const showDashboard = (token: string) => {
    signOut.hidden = false;
    stopDashboard = renderDashboard(main, new AdminApi(token), () => showLogin(t('admin.badToken')));
  };
  signOut.addEventListener('click', () => showLogin());

  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token === null) showLogin();
  else showDashboard(token);
}

/** Builds the dashboard and starts polling; returns the function that stops it. */
function renderDashboard(main: HTMLElement, api: AdminApi, onUnauthorized: () => void): () => void {
  const stats = new StatsPanel();
  const select = (sessionId: string | undefined) => {
    detail.select(sessionId);
    sessions.select(sessionId);
    interviews.select(sessionId);
    void poller.runNow();
  };
  const detail = new SessionDetailPanel(
    () => api,
    () => select(undefined),
  );
  const sessions = new SessionsPanel((sessionId) => select(sessionId));
  const interviews = new InterviewsPanel(() => api, (sessionId) => select(sessionId));
  const templates = new TemplatesPanel(() => api, (sessionId) => select(sessionId), () => void poller.runNow());
  const problem = h('p', { class: 'alert alert-error', attrs: { role: 'alert', hidden: true } });
  const broadcast = h(
    'section',
    { class: 'panel broadcast', attrs: { 'aria-labelledby': 'broadcast-title' } },
    h('div', { class: 'panel-head' }, h('h2', { i18n: 'admin.broadcast', attrs: { id: 'broadcast-title' } })),
    noticeForm({
      id: 'broadcast-message',
      labelKey: 'admin.broadcastLabel',
      placeholderKey: 'admin.broadcastPlaceholder',
      submitKey: 'admin.broadcastSend',
      send: async (message) => t('admin.broadcastSent', { n: (await api.broadcast(message)).recipients }),
    }),
  );
  main.replaceChildren(
    problem,
    stats.element,
    h(
      'div',
      { class: 'dashboard-columns' },
      h('div', { class: 'dashboard-column' }, templates.element, interviews.element, sessions.element, broadcast),
      detail.element,
    ),
  );

  const poller = new Poller(async () => {
    try {
      const selected = detail.selected;
      const compared = templates.comparedTemplate;
      const [statsResult, sessionsResult, detailResult, templatesResult, comparison] = await Promise.all([
        api.stats(),
        api.sessions(),
        selected === undefined ? Promise.resolve(undefined) : api.session(selected).catch((error: unknown) => (error instanceof ApiError && error.status === 404 ? undefined : Promise.reject(error))),
        api.templates(),
        compared === undefined ? Promise.resolve(undefined) : api.comparison(compared).catch(() => undefined),
        interviews.refresh(),
      ]);
      problem.hidden = true;
      stats.update(statsResult);
      sessions.update(sessionsResult.sessions);
      templates.update(templatesResult.items, comparison);
      interviews.setTemplates(templatesResult.items);
      if (detailResult !== undefined) detail.update(detailResult);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        onUnauthorized();
        return;
      }
      problem.textContent = t('admin.unreachable', { message: error instanceof Error ? error.message : String(error) });
      problem.hidden = false;
    }
  }, POLL_MS);
  const stopLanguage = onUiLanguageChange(() => {
    stats.render();
    sessions.render();
    templates.render();
    interviews.select(detail.selected);
    detail.render(true);
  });
  poller.start();
  return () => {
    poller.stop();
    stopLanguage();
  };
}
