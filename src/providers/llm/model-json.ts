import type { z } from 'zod';

/**
 * Reading JSON written by a language model. Even in JSON mode, models (local ones especially) wrap the
 * object in a code fence, put a sentence or their `<think>` reasoning before it, or leave a trailing
 * comma; those are repaired here, without a second call. What is still wrong is described in
 * `problems`, short enough to send back to the model in one retry.
 */

export type ModelJsonResult<T> = { ok: true; value: T } | { ok: false; problems: string };

/** The JSON object in a model's answer, repaired where that is safe; undefined when there is none. */
export function extractJsonObject(text: string): unknown {
  const unfenced = text
    .replace(/<think>[\s\S]*?<\/think>/g, '')
    .replace(/^\s*```(?:json)?\s*/i, '')
    .replace(/\s*```\s*$/, '');
  const start = unfenced.indexOf('{');
  const end = unfenced.lastIndexOf('}');
  if (start === -1 || end <= start) return undefined;
  const candidate = unfenced.slice(start, end + 1);
  for (const attempt of [candidate, candidate.replace(/,\s*([}\]])/g, '$1')]) {
    try {
      return JSON.parse(attempt) as unknown;
    } catch {
      // try the next repair
    }
  }
  return undefined;
}

/** Parses and validates a model's JSON answer against `schema`. */
export function readModelJson<T>(text: string, schema: z.ZodType<T>): ModelJsonResult<T> {
  const value = extractJsonObject(text);
  if (value === undefined) return { ok: false, problems: 'the answer is not a JSON object.' };
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const problems = parsed.error.issues
    .slice(0, 6)
    .map((issue) => `${issue.path.length === 0 ? '(root)' : issue.path.join('.')}: ${issue.message}`)
    .join('; ');
  return { ok: false, problems: `${problems}.` };
}
