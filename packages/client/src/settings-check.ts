import { candidateSchema, interviewSettingsSchema, type Candidate, type InterviewSettingsInput } from '@viva/protocol/interview-schemas.js';
import { VivaClientError } from './viva-client-error.js';

/**
 * Checks the `connect` settings with the server's own schemas before anything is sent, so a mistake is
 * a synchronous error naming the field rather than an `error` message later.
 */
export function checkSettings(candidate: Candidate | undefined, interview: InterviewSettingsInput | undefined): void {
  const checks = [
    ['candidate', candidate === undefined ? undefined : candidateSchema.safeParse(candidate)],
    ['interview', interview === undefined ? undefined : interviewSettingsSchema.safeParse(interview)],
  ] as const;
  for (const [field, result] of checks) {
    if (result === undefined || result.success) continue;
    const issue = result.error.issues[0];
    const path = [field, ...(issue?.path.map(String) ?? [])].join('.');
    throw new VivaClientError('INVALID_MESSAGE', `${path}: ${issue?.message ?? 'invalid'}`, { details: { field: path } });
  }
}
