import type { InterviewTemplate } from '../../interview/interview-templates.js';
import type { SessionRecord } from '../../interview/session-store.js';

/**
 * A template's candidates side by side: overall and per competency. Competencies are the union over the
 * reports, in order of first appearance, so a candidate whose report lacks one shows an empty cell
 * rather than shifting the columns.
 */
export function comparisonOf(template: InterviewTemplate, sessions: SessionRecord[]) {
  const competencies: string[] = [];
  for (const session of sessions) {
    for (const competency of session.report?.competencies ?? []) {
      if (!competencies.includes(competency.name)) competencies.push(competency.name);
    }
  }
  return {
    template_id: template.template_id,
    name: template.name,
    competencies,
    items: sessions.map((session) => {
      const scores = new Map((session.report?.competencies ?? []).map((competency) => [competency.name, competency.score]));
      return {
        session_id: session.id,
        candidate: session.candidate,
        state: session.progress.state,
        created_at: session.created_at,
        ended_at: session.progress.ended_at,
        overall_score: session.report?.overall_score ?? null,
        recommendation: session.report?.recommendation ?? null,
        method: session.report?.method ?? null,
        competencies: Object.fromEntries(competencies.map((name) => [name, scores.get(name) ?? null])),
      };
    }),
  };
}

export type TemplateComparison = ReturnType<typeof comparisonOf>;

/** RFC 4180 CSV; cells that a spreadsheet would run as a formula are prefixed with an apostrophe. */
export function comparisonCsv(comparison: TemplateComparison): string {
  const header = ['session_id', 'candidate', 'state', 'created_at', 'ended_at', 'overall_score', 'recommendation', ...comparison.competencies];
  const rows = comparison.items.map((item) => [
    item.session_id,
    item.candidate.name ?? '',
    item.state,
    item.created_at,
    item.ended_at ?? '',
    item.overall_score ?? '',
    item.recommendation ?? '',
    ...comparison.competencies.map((name) => item.competencies[name] ?? ''),
  ]);
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function csvCell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
