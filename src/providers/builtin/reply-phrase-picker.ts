import type { Language } from '@viva/protocol/interview-schemas.js';
import { hashString } from './seeded-random.js';
import { fillTemplate } from './text-tools.js';

export interface PhrasePick {
  /** Seeds the starting variant, such as `${session_id}:acknowledge`. */
  seed: string;
  /**
   * Grows with every question asked, so consecutive turns start from different variants. Between
   * two acknowledgements it grows by 1 to 3 (one question plus at most two follow-ups), so a list of
   * four or more variants never gives the same acknowledgement twice in a row.
   */
  rotation: number;
  /** The previous interviewer reply; a variant it already contains is passed over. */
  avoid?: string | undefined;
  values?: Readonly<Record<string, string>>;
  language: Language;
}

/** One variant of a phrase, filled with `values`, chosen deterministically and never the one just said. */
export function pickPhrase(variants: readonly string[], pick: PhrasePick): string {
  if (variants.length === 0) return '';
  const start = (hashString(pick.seed) + pick.rotation) % variants.length;
  const render = (template: string) => fillTemplate(template, pick.values ?? {}, pick.language);
  let fallback: string | undefined;
  for (let offset = 0; offset < variants.length; offset++) {
    const text = render(variants[(start + offset) % variants.length] as string);
    fallback ??= text;
    if (pick.avoid === undefined || !pick.avoid.includes(text)) return text;
  }
  return fallback ?? '';
}
