import { z } from 'zod';

/** Interview languages the built-in engine speaks. */
export const languageSchema = z.enum(['en', 'zh']);
export type Language = z.infer<typeof languageSchema>;

export const candidateSchema = z.object({
  name: z.string().trim().max(200).optional(),
});
export type Candidate = z.infer<typeof candidateSchema>;

/** Interview settings as a client may send them (connect, POST /interview/start); every field optional. */
export const interviewSettingsSchema = z.object({
  role: z.string().trim().min(1).max(200).optional(),
  level: z.string().trim().min(1).max(50).optional(),
  language: languageSchema.optional(),
  job_description: z.string().max(20_000).optional(),
  resume_text: z.string().max(50_000).optional(),
  question_count: z.number().int().min(1).max(30).optional(),
  max_minutes: z.number().int().min(1).max(240).optional(),
});
export type InterviewSettingsInput = z.infer<typeof interviewSettingsSchema>;

export const interviewStateSchema = z.enum(['not_started', 'in_progress', 'completed']);
export type InterviewState = z.infer<typeof interviewStateSchema>;

export const stageNameSchema = z.enum([
  'opening',
  'experience',
  'technical',
  'behavioral',
  'candidate_questions',
  'closing',
]);
export type StageName = z.infer<typeof stageNameSchema>;

/** Where an interview stands, as clients see it in `connected` and `ai_response`. */
export const interviewStatusSchema = z.object({
  state: interviewStateSchema,
  stage: stageNameSchema.optional(),
  question_number: z.number().int().optional(),
  total_questions: z.number().int().optional(),
});
export type InterviewStatus = z.infer<typeof interviewStatusSchema>;

export const endReasonSchema = z.enum(['completed', 'ended_by_candidate', 'ended_by_admin']);
export type EndReason = z.infer<typeof endReasonSchema>;

export const recommendationSchema = z.enum(['strong_yes', 'yes', 'lean_no', 'no']);
export type Recommendation = z.infer<typeof recommendationSchema>;

const reportCompetencySchema = z.object({ name: z.string(), score: z.number().min(1).max(5), evidence: z.array(z.string()) });

/**
 * What an answer must contain to earn a score: one line each for a 1, a 3 and a 5 (added in 1.1). The
 * evaluator scores against it and the report shows it, so a reader can check the score.
 */
export const scoringGuideSchema = z.array(z.object({ score: z.number().int().min(1).max(5), description: z.string() }));
export type ScoringGuide = z.infer<typeof scoringGuideSchema>;

const reportQuestionSchema = z.object({
  question: z.string(),
  stage: stageNameSchema.optional(),
  answer: z.string(),
  /** `kind` added in 1.1: `probe` (trade-offs or verification of a strong answer) or `hint` (after "I don't know"). */
  follow_ups: z.array(z.object({ question: z.string(), answer: z.string(), kind: z.enum(['probe', 'hint']).optional() })),
  score: z.number().min(1).max(5).nullable(),
  notes: z.string(),
  /** Added in 1.1: what decided the score (the built-in engine's heuristics, by name). */
  basis: z.array(z.string()).optional(),
  /** Added in 1.1: what a 1, a 3 and a 5 answer to this question contain, as the evaluator used it. */
  scoring_guide: scoringGuideSchema.optional(),
});

/** The evaluation of an interview (docs/protocol.md §7, `/end` and `/report`). */
export const interviewReportSchema = z.object({
  session_id: z.string(),
  candidate: candidateSchema,
  interview: z.object({ role: z.string(), level: z.string(), language: languageSchema }),
  started_at: z.string().nullable(),
  ended_at: z.string().nullable(),
  end_reason: endReasonSchema.optional(),
  method: z.enum(['heuristic', 'llm']),
  method_note: z.string().optional(),
  overall_score: z.number().min(1).max(5),
  recommendation: recommendationSchema,
  summary: z.string(),
  competencies: z.array(reportCompetencySchema),
  questions: z.array(reportQuestionSchema),
  strengths: z.array(z.string()),
  concerns: z.array(z.string()),
});
export type InterviewReport = z.infer<typeof interviewReportSchema>;

/**
 * The report as a candidate sees it with CANDIDATE_REPORT=summary (docs/protocol.md §10): no overall score,
 * recommendation, per-question scores, notes or concerns; `summary` is a thank-you, not the evaluation.
 */
export const candidateReportSchema = interviewReportSchema
  .pick({ session_id: true, candidate: true, interview: true, started_at: true, ended_at: true, end_reason: true, summary: true, strengths: true })
  .extend({
    visibility: z.literal('summary'),
    competencies: z.array(reportCompetencySchema.pick({ name: true, evidence: true })),
    questions: z.array(reportQuestionSchema.pick({ question: true, stage: true, answer: true, follow_ups: true })),
  });
export type CandidateReport = z.infer<typeof candidateReportSchema>;
