import type { QueryResult, QueryResultRow } from 'pg';
import type { InterviewTemplate, SessionSearch, TemplatePatch, TemplateSummary } from '../../interview/interview-templates.js';
import { normalizeLimit } from '../session-records.js';
import type { SessionRow } from '../session-rows.js';
import { patchTemplate, templateFromRow, templateToRow, type TemplateRow } from '../template-rows.js';

type Query = <R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]) => Promise<QueryResult<R>>;

/** timestamptz as the ISO 8601 UTC text with milliseconds that the records carry. */
function iso(column: string, as = column): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${as}`;
}

const templateColumns = `id, name, interview, focus, invite, ${iso('created_at')}, ${iso('updated_at')}`;

/**
 * The recruiting queries of the PostgreSQL store (docs/protocol.md §10): templates and the search over every
 * session, through the store's own bounded query function.
 */
export class PostgresRecruiting {
  constructor(
    private readonly query: Query,
    private readonly sessionColumns: string,
  ) {}

  async searchSessions(search: SessionSearch): Promise<SessionRow[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    const parameter = (value: unknown): string => {
      values.push(value);
      return `$${values.length}`;
    };
    // spelled exactly as in the index sessions_by_state, so the planner uses it
    if (search.state !== undefined) where.push(`((progress::json) ->> 'state') = ${parameter(search.state)}`);
    if (search.template_id !== undefined) where.push(`template_id = ${parameter(search.template_id)}`);
    if (search.created_from !== undefined) where.push(`created_at >= ${parameter(search.created_from)}::timestamptz`);
    if (search.created_before !== undefined) where.push(`created_at < ${parameter(search.created_before)}::timestamptz`);
    if (search.q !== undefined && search.q !== '') {
      const q = parameter(search.q);
      // strpos, not LIKE: the text is matched as is; lower() of ASCII only would differ from SQLite for
      // other scripts, which have no case anyway in the names this matters for
      where.push(`(strpos(lower(COALESCE((candidate::json) ->> 'name', '')), lower(${q})) > 0 OR strpos(lower(id), lower(${q})) > 0)`);
    }
    if (search.after !== undefined) {
      const at = parameter(search.after.created_at);
      const id = parameter(search.after.id);
      // the first term bounds the index range scan; the second drops what the previous page already had
      where.push(`created_at <= ${at}::timestamptz AND (created_at < ${at}::timestamptz OR id > ${id})`);
    }
    const limit = parameter(normalizeLimit(search.limit) ?? null);
    const { rows } = await this.query<SessionRow>(
      `SELECT ${this.sessionColumns} FROM sessions ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY sessions.created_at DESC, id ASC LIMIT ${limit}`,
      values,
    );
    return rows;
  }

  async insert(template: InterviewTemplate): Promise<InterviewTemplate> {
    const row = templateToRow(template);
    await this.query(
      'INSERT INTO templates (id, name, interview, focus, invite, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [row.id, row.name, row.interview, row.focus, row.invite, row.created_at, row.updated_at],
    );
    return template;
  }

  async find(id: string): Promise<InterviewTemplate | null> {
    const { rows } = await this.query<TemplateRow>(`SELECT ${templateColumns} FROM templates WHERE id = $1`, [id]);
    return rows[0] === undefined ? null : templateFromRow(rows[0]);
  }

  async findByInvite(invite: string): Promise<InterviewTemplate | null> {
    const { rows } = await this.query<TemplateRow>(`SELECT ${templateColumns} FROM templates WHERE invite = $1`, [invite]);
    return rows[0] === undefined ? null : templateFromRow(rows[0]);
  }

  async list(): Promise<TemplateSummary[]> {
    const [templates, counts] = await Promise.all([
      this.query<TemplateRow>(`SELECT ${templateColumns} FROM templates ORDER BY created_at DESC, id`),
      // grouped on the index sessions_by_template_state (spelled as there)
      this.query<{ template_id: string; state: string | null; count: number }>(
        `SELECT template_id, ((progress::json) ->> 'state') AS state, count(*)::integer AS count
         FROM sessions WHERE template_id IS NOT NULL GROUP BY template_id, ((progress::json) ->> 'state')`,
      ),
    ]);
    const byTemplate = new Map<string, { candidates: number; completed: number }>();
    for (const row of counts.rows) {
      const entry = byTemplate.get(row.template_id) ?? { candidates: 0, completed: 0 };
      entry.candidates += Number(row.count);
      if (row.state === 'completed') entry.completed += Number(row.count);
      byTemplate.set(row.template_id, entry);
    }
    return templates.rows.map((row) => ({ ...templateFromRow(row), ...(byTemplate.get(row.id) ?? { candidates: 0, completed: 0 }) }));
  }

  async update(id: string, patch: TemplatePatch, now: string): Promise<InterviewTemplate | null> {
    const current = await this.find(id);
    if (current === null) return null;
    const next = patchTemplate(current, patch, now);
    const row = templateToRow(next);
    // last writer wins: a template is edited by hand, one field group at a time
    const result = await this.query(
      'UPDATE templates SET name = $2, interview = $3, focus = $4, updated_at = $5 WHERE id = $1',
      [id, row.name, row.interview, row.focus, row.updated_at],
    );
    return (result.rowCount ?? 0) > 0 ? next : null;
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.query('DELETE FROM templates WHERE id = $1', [id]);
    return (result.rowCount ?? 0) > 0;
  }
}
