import type { Language } from '@viva/protocol/interview-schemas.js';
import { isUiLanguage, type UiLanguage } from '../shared/i18n.js';

/**
 * What the browser keeps so that a reload continues the same interview: the session, its token (needed
 * in token auth mode), the last durable seq seen (so that only newer messages are announced to screen
 * readers after a reload) and the interview language.
 */
export interface SavedInterview {
  sessionId: string;
  token: string | undefined;
  lastSeq: number;
  language: Language;
  /** An answer sent but not yet answered: a reload shows it again and re-sends it under its id. */
  pending?: PendingAnswer | undefined;
}

/**
 * A typed answer, or a spoken one with its recording (a data URL), so that a reload while it is being
 * transcribed can show it as pending and re-send it under the same id; the server answers an id once.
 */
export type PendingAnswer = { id: string; text: string } | { id: string; audio: string; format: string };

function pendingAnswerOf(value: unknown): PendingAnswer | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { id, text, audio, format } = value as Record<string, unknown>;
  if (typeof id !== 'string') return undefined;
  if (typeof text === 'string') return { id, text };
  if (typeof audio === 'string' && audio.startsWith('data:') && typeof format === 'string') return { id, audio, format };
  return undefined;
}

const INTERVIEW_KEY = 'viva.interview.v1';
const UI_LANGUAGE_KEY = 'viva.ui-language';

export function loadSavedInterview(): SavedInterview | undefined {
  const raw = readStorage(INTERVIEW_KEY);
  if (raw === undefined) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<SavedInterview>;
    if (typeof value.sessionId !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(value.sessionId)) return undefined;
    return {
      sessionId: value.sessionId,
      token: typeof value.token === 'string' ? value.token : undefined,
      lastSeq: typeof value.lastSeq === 'number' && Number.isInteger(value.lastSeq) && value.lastSeq >= 0 ? value.lastSeq : 0,
      language: value.language === 'zh' ? 'zh' : 'en',
      pending: pendingAnswerOf(value.pending),
    };
  } catch {
    return undefined;
  }
}

export function saveInterview(interview: SavedInterview): void {
  writeStorage(INTERVIEW_KEY, JSON.stringify(interview));
}

/** Records a newer seq; never moves backwards (replayed messages arrive with older ones). */
export function saveLastSeq(sessionId: string, seq: number): void {
  const saved = loadSavedInterview();
  if (saved === undefined || saved.sessionId !== sessionId || seq <= saved.lastSeq) return;
  saveInterview({ ...saved, lastSeq: seq });
}

/** Remembers (or, with undefined, forgets) the answer waiting for its reply. */
export function savePendingAnswer(sessionId: string, pending: PendingAnswer | undefined): void {
  const saved = loadSavedInterview();
  if (saved === undefined || saved.sessionId !== sessionId) return;
  saveInterview({ ...saved, pending });
}

export function forgetInterview(): void {
  try {
    localStorage.removeItem(INTERVIEW_KEY);
  } catch {
    // storage blocked (private mode): nothing was kept
  }
}

export function loadUiLanguage(): UiLanguage | undefined {
  const value = readStorage(UI_LANGUAGE_KEY);
  return isUiLanguage(value) ? value : undefined;
}

export function saveUiLanguage(language: UiLanguage): void {
  writeStorage(UI_LANGUAGE_KEY, language);
}

function readStorage(key: string): string | undefined {
  try {
    return localStorage.getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

function writeStorage(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // storage blocked or full: the interview still works, a reload just starts over
  }
}
