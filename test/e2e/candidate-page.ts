import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';

/** Drives the candidate app the way a person does: labels, buttons and the keyboard. */

export interface StartOptions {
  name: string;
  role: string;
  level?: 'junior' | 'mid' | 'senior' | 'lead';
  language?: 'en' | 'zh';
  questions?: number;
}

const labels = {
  en: { name: 'Your name', role: 'Role you are applying for', level: 'Level', continue: 'Continue', agree: 'I understand and agree', start: 'Agree and start' },
  zh: { name: '你的姓名', role: '应聘职位', level: '级别', continue: '继续', agree: '我已了解并同意', start: '同意并开始' },
} as const;

export async function startInterview(page: Page, baseUrl: string, options: StartOptions): Promise<void> {
  const query = options.questions === undefined ? '' : `?questions=${options.questions}`;
  await page.goto(`${baseUrl}/${query}`);
  const language = options.language ?? 'en';
  // the radio's label is in the current interface language, which follows the browser's at first
  await page.locator(`input[name="language"][value="${language}"]`).check();
  const text = labels[language];
  await page.getByLabel(text.name).fill(options.name);
  await page.getByLabel(text.role).fill(options.role);
  await page.getByLabel(text.level).selectOption(options.level ?? 'mid');
  await page.getByRole('button', { name: text.continue }).click();
  await page.getByLabel(text.agree).check();
  await page.getByRole('button', { name: text.start }).click();
  await page.locator('.message-interviewer:not(.is-streaming)').first().waitFor();
  await waitForConnection(page, 'open');
}

export async function waitForConnection(page: Page, state: 'open' | 'reconnecting' | 'closed' | 'connecting', timeout = 15_000): Promise<void> {
  await page.locator(`.connection[data-state="${state}"]`).waitFor({ timeout });
}

/** The finished interviewer replies on screen, in order. */
export function interviewerTexts(page: Page): Promise<string[]> {
  return page.locator('.message-interviewer:not(.is-streaming) .message-text').allTextContents();
}

export function candidateTexts(page: Page): Promise<string[]> {
  return page.locator('.message-candidate .message-text').allTextContents();
}

/** Types an answer and sends it with Enter; resolves with the reply once it is complete. */
export async function answer(page: Page, text: string): Promise<string> {
  const before = (await interviewerTexts(page)).length;
  const box = page.getByRole('textbox', { name: /Your answer|你的回答/ });
  await box.fill(text);
  await box.press('Enter');
  await page.locator('.message-interviewer:not(.is-streaming)').nth(before).waitFor({ timeout: 20_000 });
  const texts = await interviewerTexts(page);
  assert.equal(texts.length, before + 1, 'exactly one new reply');
  return texts.at(-1) ?? '';
}

/**
 * Answers until the interview ends and returns the "View your report" button. The closing reply and
 * `interview_ended` are two messages, handled one after the other: between them the reply is on screen
 * and the answer box still there. So the end is read from the closing reply itself (its status puts the
 * progress at "Completed"), not from the button, which only `interview_ended` brings.
 */
export async function answerUntilEnded(page: Page, answers: readonly string[], options: { first?: number; limit?: number } = {}): Promise<Locator> {
  const { first = 0, limit = 8 } = options;
  const completed = page.locator('.progress-stage', { hasText: /^(Completed|已完成)$/ });
  for (let index = first; (await completed.count()) === 0; index++) {
    assert.ok(index < limit, 'the interview ends after a few answers');
    await answer(page, answers[index % answers.length] ?? '');
  }
  const viewReport = page.getByRole('button', { name: /View your report|查看你的报告/ });
  await viewReport.waitFor();
  return viewReport;
}

export async function savedSession(page: Page): Promise<{ sessionId: string; token?: string; lastSeq: number }> {
  const raw = await page.evaluate(() => localStorage.getItem('viva.interview.v1'));
  assert.ok(raw, 'the interview is kept in localStorage');
  return JSON.parse(raw) as { sessionId: string; token?: string; lastSeq: number };
}

/** Detailed answers, so that the built-in interviewer moves on instead of asking follow-ups. */
export const richAnswers = [
  'I designed the payments API used by about forty internal teams. I chose idempotency keys for retries, cursor pagination and versioned URLs, and we kept p99 latency under 120 ms while traffic tripled over a year.',
  'I would split the monolith along business capabilities, starting with billing, because it changed most often. We used the strangler pattern behind the gateway, dual writes with a backfill and reconciliation, and feature flags to move traffic gradually with no downtime.',
  'When two senior engineers disagreed about the queue design, I wrote a one-page comparison with load test numbers, we agreed on Kafka with a dead-letter topic, and the incident rate dropped by half in the next quarter.',
  'My team owned the on-call rotation for the order service. I introduced SLOs, error budgets and runbooks, which cut pages by sixty percent and made releases calmer for everyone.',
];
