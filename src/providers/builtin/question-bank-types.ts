import type { Language } from '@viva/protocol/interview-schemas.js';
import type { SeniorityLevel } from '../../interview/interview-settings.js';
import type { RoleTrack } from '../../interview/rules/role-track.js';
import type { QuestionStage } from '../../interview/rules/stage-allocation.js';
import type { CompetencyKey } from './competency-names.js';

// tracks (matched from the role) and question stages are the domain's; the bank is organized by them
export type { QuestionStage, RoleTrack, SeniorityLevel };

/** A text in every interview language, written natively in each rather than translated word for word. */
export type LocalizedText = Readonly<Record<Language, string>>;

/** Short phrases in every interview language, written natively in each. */
export type LocalizedPoints = Readonly<Record<Language, readonly string[]>>;

export interface BankQuestion {
  /** Stable and unique across all banks; becomes PlannedQuestion.id so the evaluator can look it up. */
  id: string;
  stage: QuestionStage;
  competency: CompetencyKey;
  /** May contain `{role}`, filled with the role text when the plan is made. */
  text: LocalizedText;
  /** Levels the question suits; absent means every level. */
  levels?: readonly SeniorityLevel[];
  /**
   * Lowercase terms that make the question relevant: a job description containing one moves the
   * question up, and an answer containing one counts as on topic in the report.
   */
  keywords?: readonly string[];
  /**
   * What a good answer covers, in words a hiring manager reads (the keywords are matching terms, not
   * prose): the scoring guide names them. Absent only for questions made on the fly (skill questions).
   */
  points?: LocalizedPoints;
  /** General bank only: `software` questions are asked only for engineering roles. @default 'any' */
  audience?: 'software' | 'any';
}

/** A skill a job description or résumé may name, used to ask about it by name. */
export interface BankSkill {
  name: string;
  pattern: RegExp;
}

export interface TrackBank {
  track: RoleTrack;
  questions: readonly BankQuestion[];
  skills: readonly BankSkill[];
}
