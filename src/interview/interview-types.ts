import type {
  Candidate,
  EndReason,
  InterviewReport,
  InterviewSettingsInput,
  InterviewState,
  Language,
  ScoringGuide,
  StageName,
} from '@viva/protocol/interview-schemas.js';

/** Settings as a session keeps them: the client's (or template's) settings and a template's focus. */
export type SessionSettings = InterviewSettingsInput & { focus?: string[] | undefined };

/** Interview settings with every default applied; what planners and interviewers work from. */
export interface InterviewSettings {
  role: string;
  /** Normalized seniority: `junior`, `mid`, `senior`, `lead` (free text from clients is mapped). */
  level: string;
  language: Language;
  job_description?: string | undefined;
  resume_text?: string | undefined;
  /** Hard budget of main questions (follow-ups not counted). @default 6 */
  question_count: number;
  /** Hard budget of interview time in minutes. @default 30 */
  max_minutes: number;
  /** A template's focus: competency names the plan covers first (docs/protocol.md §10). */
  focus?: string[] | undefined;
}

export interface PlannedQuestion {
  /** Stable id, unique within the plan (for a bank question, its bank id). */
  id: string;
  stage: StageName;
  text: string;
  /** The competency this question probes, such as `system design` or `collaboration`. */
  competency: string;
  /**
   * What a 1, a 3 and a 5 answer contain: the evaluator scores against it and the hiring team's report
   * shows it; the candidate never sees it. Absent for questions that are not scored (the candidate's own
   * questions) and in plans stored before it existed (the evaluator then derives one).
   */
  scoring_guide?: ScoringGuide | undefined;
  /** Model plans: one probing follow-up the planner wrote for a strong answer, reused for every candidate. */
  probe?: string | undefined;
}

export interface InterviewPlan {
  /** Question bank track chosen for the role, such as `backend`, `frontend`, `data_ml`, `product`, `general`. */
  track: string;
  role: string;
  level: string;
  language: Language;
  questions: PlannedQuestion[];
  created_by: 'builtin' | 'llm';
}

/**
 * Why a follow-up was asked, when it was not to fill a gap in the answer: `probe` (one per question, senior
 * and lead levels: trade-offs or how they verified a strong answer) or `hint` (after "I don't know": a
 * hint or a smaller version of the question).
 */
export type FollowUpKind = 'probe' | 'hint';

export interface FollowUpRecord {
  question: string;
  answer: string;
  kind?: FollowUpKind | undefined;
}

/** One main question of the plan as it was asked and answered. */
export interface AnswerRecord {
  question_id: string;
  question: string;
  stage: StageName;
  competency: string;
  /** The candidate's answer to the main question (several messages joined). */
  answer: string;
  follow_ups: FollowUpRecord[];
  skipped: boolean;
  /** The candidate said they did not know. */
  unknown: boolean;
}

/** The interview's own state, kept with the session and changed only by turns. */
export interface InterviewProgress {
  state: InterviewState;
  started_at: string | null;
  ended_at: string | null;
  end_reason: EndReason | null;
  /** Whether the greeting has been said (never twice, also not after a reconnect). */
  greeted: boolean;
  /** Index into plan.questions of the question awaiting an answer; -1 before the first question. */
  current_index: number;
  /** The follow-up question awaiting an answer, if the last thing asked was a follow-up. */
  pending_follow_up: string | null;
  /** Why the pending follow-up was asked (absent for an ordinary one, and in sessions stored before it existed). */
  pending_follow_up_kind?: FollowUpKind | null | undefined;
  /** The exact text of the last question asked, for "could you repeat that". */
  last_question: string | null;
  /** Answers so far, one per main question asked. */
  records: AnswerRecord[];
  /**
   * Messages that were not answers and go into the report as concerns, never as evidence: abuse and
   * attempts to instruct the interviewer or the evaluator. Absent in sessions stored before it existed.
   */
  non_answers?: NonAnswerNote[];
}

export interface NonAnswerNote {
  kind: 'abuse' | 'injection';
  /** The main question awaiting an answer when it was said, if any. */
  question_id: string | null;
  text: string;
}

export function initialProgress(): InterviewProgress {
  return {
    state: 'not_started',
    started_at: null,
    ended_at: null,
    end_reason: null,
    greeted: false,
    current_index: -1,
    pending_follow_up: null,
    last_question: null,
    records: [],
  };
}

/** Everything a planner, interviewer or evaluator may read about a session. */
export interface InterviewSnapshot {
  session_id: string;
  candidate: Candidate;
  settings: InterviewSettings;
  plan: InterviewPlan;
  progress: InterviewProgress;
  /** Prior turns, oldest first: what the candidate said and what the interviewer replied. */
  history: ConversationTurn[];
}

export interface ConversationTurn {
  candidate: string | null;
  interviewer: string;
  cancelled: boolean;
  /** The candidate cut the spoken reply short: `interviewer` holds only the words they heard. */
  interrupted?: boolean | undefined;
}

export type { Candidate, EndReason, InterviewReport, InterviewSettingsInput, Language, ScoringGuide, StageName };
