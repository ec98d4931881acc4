import type { InterviewTemplate, SessionSearch, TemplatePatch } from '../interview/interview-templates.js';
import type { SessionRecord } from '../interview/session-store.js';
import { cloneJson } from './session-records.js';

/** Row <-> record mapping of templates for the SQL adapters, and the search rules every adapter shares. */

export interface TemplateRow {
  id: string;
  name: string;
  interview: string;
  focus: string;
  invite: string;
  created_at: string;
  updated_at: string;
}

export function templateToRow(template: InterviewTemplate): TemplateRow {
  return {
    id: template.template_id,
    name: template.name,
    interview: JSON.stringify(template.interview),
    focus: JSON.stringify(template.focus),
    invite: template.invite,
    created_at: template.created_at,
    updated_at: template.updated_at,
  };
}

export function templateFromRow(row: TemplateRow): InterviewTemplate {
  return {
    template_id: row.id,
    name: row.name,
    interview: JSON.parse(row.interview) as InterviewTemplate['interview'],
    focus: JSON.parse(row.focus) as string[],
    invite: row.invite,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function patchTemplate(template: InterviewTemplate, patch: TemplatePatch, now: string): InterviewTemplate {
  return {
    ...template,
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.interview !== undefined ? { interview: cloneJson(patch.interview) } : {}),
    ...(patch.focus !== undefined ? { focus: [...patch.focus] } : {}),
    updated_at: now,
  };
}

/** The search text as every adapter compares it: ASCII-lowercased, as SQL lower() does. */
export function searchText(text: string): string {
  return text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

/** Whether a record matches a search's filters (not the cursor); the memory adapter's WHERE clause. */
export function matchesSearch(record: SessionRecord, search: SessionSearch): boolean {
  if (search.state !== undefined && record.progress.state !== search.state) return false;
  if (search.template_id !== undefined && record.template_id !== search.template_id) return false;
  if (search.created_from !== undefined && record.created_at < search.created_from) return false;
  if (search.created_before !== undefined && record.created_at >= search.created_before) return false;
  if (search.q !== undefined && search.q !== '') {
    const needle = searchText(search.q);
    const name = searchText(record.candidate.name ?? '');
    if (!name.includes(needle) && !searchText(record.id).includes(needle)) return false;
  }
  const after = search.after;
  if (after !== undefined) {
    const later = record.created_at < after.created_at || (record.created_at === after.created_at && record.id > after.id);
    if (!later) return false;
  }
  return true;
}
