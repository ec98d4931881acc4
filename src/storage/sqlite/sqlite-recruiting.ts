import type Database from 'better-sqlite3';
import type { InterviewTemplate, SessionSearch, TemplateSummary } from '../../interview/interview-templates.js';
import { normalizeLimit } from '../session-records.js';
import { templateFromRow, templateToRow, type TemplateRow } from '../template-rows.js';

const templateColumns = 'id, name, interview, focus, invite, created_at, updated_at';

/**
 * The recruiting queries of the SQLite store (docs/protocol.md §10): templates and the search over every
 * session. Kept apart from the turn path; the store runs the writes inside its group commit.
 */
export function prepareRecruitingStatements(db: Database.Database, sessionColumns: string) {
  const searches = new Map<string, Database.Statement<Record<string, unknown>, unknown>>();
  const statements = {
    insertTemplate: db.prepare<TemplateRow>(
      `INSERT INTO templates (${templateColumns}) VALUES (@id, @name, @interview, @focus, @invite, @created_at, @updated_at)`,
    ),
    selectTemplate: db.prepare<[string], TemplateRow>(`SELECT ${templateColumns} FROM templates WHERE id = ?`),
    selectTemplateByInvite: db.prepare<[string], TemplateRow>(`SELECT ${templateColumns} FROM templates WHERE invite = ?`),
    updateTemplate: db.prepare<TemplateRow>(
      `UPDATE templates SET name = @name, interview = @interview, focus = @focus, updated_at = @updated_at WHERE id = @id`,
    ),
    deleteTemplate: db.prepare<[string]>('DELETE FROM templates WHERE id = ?'),
    listTemplates: db.prepare<[], TemplateRow>(`SELECT ${templateColumns} FROM templates ORDER BY created_at DESC, id`),
    // grouped on the index sessions_by_template_state alone: no session row is read
    templateCounts: db.prepare<[], { template_id: string; state: string; count: number }>(
      `SELECT template_id, json_extract(progress, '$.state') AS state, COUNT(*) AS count
       FROM sessions WHERE template_id IS NOT NULL GROUP BY template_id, json_extract(progress, '$.state')`,
    ),
  };

  /** One statement per combination of filters (at most 2^6), prepared once. */
  function searchSessions(search: SessionSearch): Record<string, unknown>[] {
    const where: string[] = [];
    const values: Record<string, unknown> = { limit: normalizeLimit(search.limit) ?? -1 };
    if (search.state !== undefined) {
      // spelled exactly as in the index sessions_by_state, so the planner uses it
      where.push(`json_extract(progress, '$.state') = @state`);
      values.state = search.state;
    }
    if (search.template_id !== undefined) {
      where.push('template_id = @template_id');
      values.template_id = search.template_id;
    }
    if (search.created_from !== undefined) {
      where.push('created_at >= @created_from');
      values.created_from = search.created_from;
    }
    if (search.created_before !== undefined) {
      where.push('created_at < @created_before');
      values.created_before = search.created_before;
    }
    if (search.q !== undefined && search.q !== '') {
      // instr, not LIKE: the text is matched as is, with no wildcards to escape
      where.push(`(instr(lower(COALESCE(json_extract(candidate, '$.name'), '')), lower(@q)) > 0 OR instr(lower(id), lower(@q)) > 0)`);
      values.q = search.q;
    }
    if (search.after !== undefined) {
      // the first term bounds the index range scan; the second drops what the previous page already had
      where.push('created_at <= @after_at AND (created_at < @after_at OR id > @after_id)');
      values.after_at = search.after.created_at;
      values.after_id = search.after.id;
    }
    const sql = `SELECT ${sessionColumns} FROM session_rows ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created_at DESC, id ASC LIMIT @limit`;
    let statement = searches.get(sql);
    if (statement === undefined) {
      statement = db.prepare<Record<string, unknown>, unknown>(sql);
      searches.set(sql, statement);
    }
    return statement.all(values) as Record<string, unknown>[];
  }

  return {
    ...statements,
    searchSessions,
    insert(template: InterviewTemplate): void {
      statements.insertTemplate.run(templateToRow(template));
    },
    find(id: string): InterviewTemplate | null {
      const row = statements.selectTemplate.get(id);
      return row === undefined ? null : templateFromRow(row);
    },
    findByInvite(invite: string): InterviewTemplate | null {
      const row = statements.selectTemplateByInvite.get(invite);
      return row === undefined ? null : templateFromRow(row);
    },
    list(): TemplateSummary[] {
      const counts = new Map<string, { candidates: number; completed: number }>();
      for (const row of statements.templateCounts.all()) {
        const entry = counts.get(row.template_id) ?? { candidates: 0, completed: 0 };
        entry.candidates += Number(row.count);
        if (row.state === 'completed') entry.completed += Number(row.count);
        counts.set(row.template_id, entry);
      }
      return statements.listTemplates.all().map((row) => ({
        ...templateFromRow(row),
        ...(counts.get(row.id) ?? { candidates: 0, completed: 0 }),
      }));
    },
  };
}

export type RecruitingStatements = ReturnType<typeof prepareRecruitingStatements>;
