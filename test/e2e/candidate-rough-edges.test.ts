import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { FlakyNetwork } from '../helpers/flaky-network.js';
import { startViva, type VivaProcess } from '../helpers/viva-process.js';
import { launchChromium, watchPageErrors } from './browser.js';
import { answerUntilEnded, richAnswers, savedSession, startInterview, waitForConnection } from './candidate-page.js';
import { ensureWebBuild } from './web-build.js';

/**
 * Rough edges of the candidate app found by trying it as a new user would (issue 13, item 6): an English
 * interview on a browser set to Chinese, with the network failing under it, a reload and the end.
 */
describe('candidate app: rough edges', () => {
  let viva: VivaProcess;
  let proxy: FlakyNetwork;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  before(async () => {
    await ensureWebBuild();
    viva = await startViva({ SERVE_WEB_APP: 'true', STT_PROVIDER: 'none' });
    proxy = await FlakyNetwork.start(viva.port);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1100, height: 800 }, locale: 'zh-CN', timezoneId: 'UTC' });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    pageErrors = watchPageErrors(page);
    await startInterview(page, proxy.url, { name: 'Ada', role: 'Backend engineer', language: 'en', questions: 3 });
  });

  after(async () => {
    await browser?.close();
    await proxy?.close();
    await viva?.stop();
  });

  test('times are written in the interview’s language, not the browser’s', async () => {
    const time = await page.locator('.message-interviewer time').first().innerText();
    assert.match(time, /^\d{2}:\d{2}\s?(AM|PM)$/, `an English time, got "${time}"`);
  });

  test('one length everywhere: the start page and the interviewer say the same minutes, and a clock shows the time', async () => {
    const fresh = await browser.newContext({ locale: 'en-US' });
    const start = await fresh.newPage();
    await start.goto(proxy.url);
    const length = await start.locator('.start-length').innerText();
    await fresh.close();
    const minutes = /up to (\d+) minutes/.exec(length)?.[1];
    assert.ok(minutes !== undefined, `the start page gives the length: "${length}"`);
    const greeting = await page.locator('.message-interviewer').first().innerText();
    assert.match(greeting, new RegExp(`\\b${minutes} minutes`), 'the interviewer says the same');
    const clock = page.locator('.progress-clock');
    assert.match(await clock.innerText(), new RegExp(`^Time: 0:\\d{2} of ${minutes}:00$`));
  });

  test('a dead network shows within seconds, and an answer typed meanwhile is labelled as not yet sent', async () => {
    proxy.stall();
    proxy.dropRequests();
    const started = Date.now();
    await page.locator('.connection', { hasText: 'Reconnecting…' }).waitFor({ timeout: 12_000 });
    const noticedAfter = Date.now() - started;
    assert.ok(noticedAfter < 12_000, `offline shown after ${noticedAfter} ms`);

    const box = page.getByRole('textbox', { name: 'Your answer' });
    await box.fill(richAnswers[0] ?? '');
    await box.press('Enter');
    const unsent = page.locator('.message-candidate.is-unsent');
    await unsent.waitFor();
    assert.match(await unsent.innerText(), /Not sent yet/);

    proxy.restore();
    // the browser's stalled keep-alive connections would hang the next page load
    proxy.reset();
    await waitForConnection(page, 'open', 40_000);
    await page.locator('.message-interviewer:not(.is-streaming)').nth(1).waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('.message-unsent').count(), 0, 'the label goes once it was sent');
    assert.equal(await page.locator('.message-candidate').count(), 1, 'the answer is shown once');
  });

  test('after a reload the candidate’s own messages keep their original times', async () => {
    const before = await page.locator('.message-candidate time').first().getAttribute('datetime');
    assert.ok(before !== null);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const reloadedAt = new Date().toISOString();
    await page.reload();
    await waitForConnection(page, 'open');
    await page.locator('.message-candidate').first().waitFor();
    const after = await page.locator('.message-candidate time').first().getAttribute('datetime');
    assert.ok(after !== null && after < reloadedAt, `the answer keeps its time (${after}), not the reload's (${reloadedAt})`);
    assert.equal(await page.locator('.message-candidate').count(), 1);
  });

  test('an answer on its way when the page reloads is shown again, once, and answered once', async () => {
    const { sessionId } = await savedSession(page);
    const candidatesBefore = await page.locator('.message-candidate').count();
    const repliesBefore = await page.locator('.message-interviewer:not(.is-streaming)').count();
    const text = richAnswers[1] ?? '';
    proxy.stall();
    proxy.dropRequests();
    const box = page.getByRole('textbox', { name: 'Your answer' });
    await box.fill(text);
    await box.press('Enter');
    await page.locator('.message-candidate.is-pending').waitFor();
    proxy.restore();
    proxy.reset();
    await page.reload();
    await waitForConnection(page, 'open', 40_000);
    await page.locator('.message-interviewer:not(.is-streaming)').nth(repliesBefore).waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('.message-candidate').count(), candidatesBefore + 1);
    assert.equal(await page.locator('.message-candidate', { hasText: text.slice(0, 40) }).count(), 1, 'shown once');
    const session = (await (await fetch(`${viva.baseUrl}/api/v1/interview/${sessionId}`)).json()) as { transcript: Array<{ candidate: string | null }> };
    assert.equal(session.transcript.filter((turn) => turn.candidate === text).length, 1, 'answered once');
  });

  test('"The interview has ended" is said once', async () => {
    await answerUntilEnded(page, richAnswers, { first: 1 });
    // the screen reader's live region repeats it off screen; the conversation and its footer say it once
    assert.equal(await page.locator('.chat-log, .interview-footer').getByText('The interview has ended').count(), 1);
  });

  test('no script errors', () => {
    assert.deepEqual(pageErrors.filter((error) => !/WebSocket|ERR_CONNECTION|Failed to load resource/.test(error)), []);
  });
});
