import type { CandidateReport } from '@viva/protocol/interview-schemas.js';
import type { InterviewReport } from './interview-types.js';

/** What a candidate may see of their evaluation (docs/protocol.md §10, `CANDIDATE_REPORT`). */
export type CandidateReportMode = 'summary' | 'full' | 'none';

/**
 * The report as a candidate sees it with `CANDIDATE_REPORT=summary`: their answers, the competencies with
 * the evidence quoted from their own words, and the strengths, but no overall score, recommendation,
 * per-question scores, notes or concerns. The evaluator's summary states the score, so the candidate
 * gets a thank-you in the interview's language instead.
 */
export function candidateSummaryOf(report: InterviewReport): CandidateReport {
  const answered = report.questions.filter((question) => question.answer.trim() !== '').length;
  return {
    session_id: report.session_id,
    candidate: report.candidate,
    interview: report.interview,
    started_at: report.started_at,
    ended_at: report.ended_at,
    ...(report.end_reason !== undefined ? { end_reason: report.end_reason } : {}),
    visibility: 'summary' as const,
    summary: thankYou(report, answered),
    competencies: report.competencies.map((competency) => ({ name: competency.name, evidence: competency.evidence })),
    questions: report.questions.map((question) => ({
      question: question.question,
      ...(question.stage !== undefined ? { stage: question.stage } : {}),
      answer: question.answer,
      follow_ups: question.follow_ups,
    })),
    strengths: report.strengths,
  };
}

export type CandidateSummary = CandidateReport;

/**
 * The report as a candidate sees it with `CANDIDATE_REPORT=full`: everything but the scoring guides.
 * Every candidate for a job gets the same questions, so a guide a candidate took away would tell the
 * next one what earns a 5.
 */
export function candidateFullReportOf(report: InterviewReport): InterviewReport {
  return { ...report, questions: report.questions.map(({ scoring_guide: _guide, ...question }) => question) };
}

/** A plan question as a candidate may see it: no scoring guide and no planned probe. */
export function candidateQuestionView<Question extends { scoring_guide?: unknown; probe?: unknown }>(question: Question): Omit<Question, 'scoring_guide' | 'probe'> {
  const { scoring_guide: _guide, probe: _probe, ...visible } = question;
  return visible;
}

function thankYou(report: InterviewReport, answered: number): string {
  const name = report.candidate.name;
  const total = report.questions.length;
  if (report.interview.language === 'zh') {
    return `${name !== undefined && name !== '' ? `${name}，` : ''}感谢你参加${report.interview.role}岗位的面试。你回答了 ${total} 个问题中的 ${answered} 个。招聘团队会查看你的面试并与你联系。`;
  }
  return `Thank you${name !== undefined && name !== '' ? `, ${name},` : ''} for interviewing for the ${report.interview.role} role. You answered ${answered} of ${total} questions. The hiring team will review your interview and get back to you.`;
}
