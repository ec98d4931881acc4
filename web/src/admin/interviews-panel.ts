import { h } from '../shared/dom.js';
import { t } from '../shared/i18n.js';
import type { AdminApi, InterviewFilters, InterviewItem, Template } from './admin-api.js';
import { formatDateTime, levelLabel, scoreText } from './format.js';

const PAGE = 50;

/**
 * Every interview, live and past (GET /api/v1/interviews): search by name or id, filters for state,
 * template, role and date, newest first, "Load more" through the cursor. The poll refreshes what is shown;
 * a row opens the session view.
 */
export class InterviewsPanel {
  readonly element: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly more: HTMLButtonElement;
  private readonly templateSelect: HTMLSelectElement;
  private readonly roleInput: HTMLInputElement;
  private filters: InterviewFilters = {};
  private items: InterviewItem[] = [];
  private nextCursor: string | null = null;
  private templates: Template[] = [];
  private selected: string | undefined;
  private signature = '';

  constructor(
    private readonly api: () => AdminApi,
    private readonly onSelect: (sessionId: string) => void,
  ) {
    this.list = h('ul', { class: 'interview-list', attrs: { 'aria-live': 'polite' } });
    this.more = h('button', { class: 'button button-secondary', attrs: { type: 'button', hidden: true }, i18n: 'admin.loadMore', on: { click: () => void this.loadMore() } });
    this.templateSelect = h('select', { class: 'select', attrs: { id: 'filter-template', name: 'template_id' } });
    this.roleInput = h('input', { class: 'input', attrs: { id: 'filter-role', name: 'role', type: 'search' } });
    const search = h('input', { class: 'input', attrs: { id: 'filter-q', name: 'q', type: 'search', maxlength: 200 } });
    const state = h(
      'select',
      { class: 'select', attrs: { id: 'filter-state', name: 'state' } },
      h('option', { attrs: { value: '' }, i18n: 'admin.all' }),
      ...(['in_progress', 'completed', 'not_started'] as const).map((value) => h('option', { attrs: { value }, i18n: `admin.state.${value}` })),
    );
    const from = h('input', { class: 'input', attrs: { id: 'filter-from', name: 'from', type: 'date' } });
    const to = h('input', { class: 'input', attrs: { id: 'filter-to', name: 'to', type: 'date' } });
    const field = (id: string, key: Parameters<typeof t>[0], control: HTMLElement) => h('div', { class: 'field' }, h('label', { i18n: key, attrs: { for: id } }), control);
    const form = h(
      'form',
      { class: 'filters', attrs: { role: 'search' } },
      field('filter-q', 'admin.search', search),
      field('filter-state', 'admin.col.state', state),
      field('filter-template', 'admin.col.template', this.templateSelect),
      field('filter-role', 'admin.col.role', this.roleInput),
      field('filter-from', 'admin.from', from),
      field('filter-to', 'admin.to', to),
    );
    const apply = () => {
      this.filters = { q: search.value.trim(), state: state.value, template_id: this.templateSelect.value, from: from.value, to: to.value };
      this.signature = '';
      void this.refresh();
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      apply();
    });
    form.addEventListener('change', apply);
    // the role filter applies to what is loaded, as one types
    this.roleInput.addEventListener('input', () => {
      this.signature = '';
      this.render();
    });
    this.element = h(
      'section',
      { class: 'panel interviews', attrs: { 'aria-labelledby': 'interviews-title' } },
      h('div', { class: 'panel-head' }, h('h2', { i18n: 'admin.interviews', attrs: { id: 'interviews-title' } })),
      form,
      this.list,
      h('div', { class: 'actions' }, this.more),
    );
    this.setTemplates([]);
  }

  select(sessionId: string | undefined): void {
    this.selected = sessionId;
    this.signature = '';
    this.render();
  }

  setTemplates(templates: Template[]): void {
    const names = JSON.stringify(templates.map((template) => [template.template_id, template.name]));
    if (names === JSON.stringify(this.templates.map((template) => [template.template_id, template.name]))) return;
    this.templates = templates;
    const current = this.templateSelect.value;
    this.templateSelect.replaceChildren(
      h('option', { attrs: { value: '' }, i18n: 'admin.all' }),
      ...templates.map((template) => h('option', { attrs: { value: template.template_id, selected: template.template_id === current }, text: template.name })),
    );
    this.signature = '';
    this.render();
  }

  /** Reloads from the newest: as many rows as are shown (at least a page, at most 100). */
  async refresh(): Promise<void> {
    const limit = Math.min(100, Math.max(PAGE, this.items.length));
    const page = await this.api().interviews(this.filters, limit);
    this.items = page.items;
    this.nextCursor = page.next_cursor;
    this.render();
  }

  private async loadMore(): Promise<void> {
    if (this.nextCursor === null) return;
    const page = await this.api().interviews(this.filters, PAGE, this.nextCursor);
    this.items = [...this.items, ...page.items];
    this.nextCursor = page.next_cursor;
    this.render();
  }

  render(): void {
    const role = this.roleInput.value.trim().toLowerCase();
    const shown = role === '' ? this.items : this.items.filter((item) => item.interview.role.toLowerCase().includes(role));
    const signature = JSON.stringify([shown, this.selected, this.nextCursor, this.templates.length]);
    if (signature === this.signature) return;
    this.signature = signature;
    this.more.hidden = this.nextCursor === null;
    if (shown.length === 0) {
      this.list.replaceChildren(h('li', { class: 'empty', i18n: 'admin.interviewsEmpty' }));
      return;
    }
    this.list.replaceChildren(...shown.map((item) => this.row(item)));
  }

  private row(item: InterviewItem): HTMLLIElement {
    const template = this.templates.find((entry) => entry.template_id === item.template_id);
    const progress =
      item.interview.state === 'in_progress' ? `${t('admin.state.in_progress')} · ${item.interview.question_number}/${item.interview.total_questions}` : t(`admin.state.${item.interview.state}`);
    const isSelected = item.session_id === this.selected;
    const row = h(
      'li',
      { class: `interview-item ${isSelected ? 'is-selected' : ''}` },
      h(
        'button',
        {
          class: 'interview-open',
          attrs: { type: 'button', 'aria-pressed': String(isSelected) },
          on: { click: () => this.onSelect(item.session_id) },
        },
        h(
          'span',
          { class: 'interview-line' },
          h('strong', { class: 'interview-name', text: item.candidate.name || '—' }),
          item.connected ? h('span', { class: 'badge badge-online' }, h('span', { class: 'badge-dot' }), t('admin.live')) : null,
          item.report === null ? null : h('span', { class: 'chip', text: `${scoreText(item.report.overall_score)} · ${t(`report.recommendation.${item.report.recommendation}`)}` }),
        ),
        h('span', { class: 'interview-meta', text: [item.interview.role, levelLabel(item.interview.level), template?.name].filter(Boolean).join(' · ') }),
        h('span', { class: 'interview-meta', text: `${progress} · ${formatDateTime(item.created_at)}` }),
      ),
    );
    row.dataset.sessionId = item.session_id;
    return row;
  }
}
