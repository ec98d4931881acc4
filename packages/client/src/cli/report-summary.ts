import type { CandidateReport, InterviewReport } from '@viva/protocol/interview-schemas.js';

const RECOMMENDATION: Record<InterviewReport['recommendation'], string> = {
  strong_yes: 'strong yes',
  yes: 'yes',
  lean_no: 'lean no',
  no: 'no',
};

/** The report as a few lines of plain text for the terminal. */
export function formatReportSummary(report: InterviewReport): string[] {
  const lines = [
    `Overall score: ${report.overall_score.toFixed(1)} / 5   Recommendation: ${RECOMMENDATION[report.recommendation]}`,
    `Role: ${report.interview.role} (${report.interview.level})   Method: ${report.method}`,
  ];
  if (report.summary.trim() !== '') lines.push('', report.summary.trim());
  if (report.competencies.length > 0) {
    lines.push('', 'Competencies:');
    for (const competency of report.competencies) lines.push(`  ${competency.name}: ${competency.score.toFixed(1)}`);
  }
  const answered = report.questions.filter((question) => question.answer.trim() !== '').length;
  lines.push('', `Questions answered: ${answered}`);
  if (report.strengths.length > 0) lines.push('', 'Strengths:', ...report.strengths.map((item) => `  + ${item}`));
  if (report.concerns.length > 0) lines.push('', 'Concerns:', ...report.concerns.map((item) => `  - ${item}`));
  return lines;
}

/** The candidate's part of the report (CANDIDATE_REPORT=summary): no score, no recommendation. */
export function formatCandidateReport(report: CandidateReport): string[] {
  const lines = [report.summary.trim()];
  if (report.strengths.length > 0) lines.push('', ...report.strengths.map((item) => `  + ${item}`));
  return lines;
}
