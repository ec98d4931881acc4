import type { InterviewState } from '@viva/protocol/interview-schemas.js';
import type { InterviewSettingsInput } from './interview-types.js';

/**
 * An interview defined once by a hiring team (docs/protocol.md §10). Every session started from it gets its
 * settings, so every candidate of a template is planned from the same input and their reports compare.
 */
export interface InterviewTemplate {
  template_id: string;
  name: string;
  /** Settings as the team gave them; defaults apply when a session's plan is made, as for any session. */
  interview: InterviewSettingsInput;
  /** Competency names the team cares most about; kept with the template and shown with it. */
  focus: string[];
  /** The secret part of the invite link (`/?invite=KEY`); in token auth mode it stands in for an API key. */
  invite: string;
  created_at: string;
  updated_at: string;
}

/** A template with how many sessions were started from it and how many of those completed. */
export interface TemplateSummary extends InterviewTemplate {
  candidates: number;
  completed: number;
}

export interface TemplatePatch {
  name?: string;
  interview?: InterviewSettingsInput;
  focus?: string[];
}

/** Where a page of a session search starts: after this (created_at, id) in listing order. */
export interface SessionCursor {
  created_at: string;
  id: string;
}

/**
 * A search of every session, newest created first (ties by id ascending). Timestamps are ISO 8601 UTC
 * with milliseconds, as the records carry them; `q` is matched case-insensitively (ASCII) against the
 * candidate's name and the session id.
 */
export interface SessionSearch {
  state?: InterviewState | undefined;
  template_id?: string | undefined;
  q?: string | undefined;
  /** created_at >= this */
  created_from?: string | undefined;
  /** created_at < this */
  created_before?: string | undefined;
  after?: SessionCursor | undefined;
  limit: number;
}
