import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startViva, type VivaProcess } from '../helpers/viva-process.js';
import { fakeMicrophoneArgs, launchChromium, saveScreenshot, watchPageErrors } from './browser.js';
import { answer, candidateTexts, interviewerTexts, richAnswers, savedSession, startInterview, waitForConnection } from './candidate-page.js';
import { FlakyNetwork } from '../helpers/flaky-network.js';
import { ensureWebBuild } from './web-build.js';

interface SessionView {
  transcript: Array<{ turn: number; candidate: string | null; interviewer: string }>;
  interview: { state: string };
}

/**
 * The candidate app and the admin dashboard in real Chromium, against the real server, with a TCP proxy
 * in between so the network can be cut under an open WebSocket. One interview runs through the steps in
 * order: start, answers, a cut mid-turn, a reload, messages from the admin, the end and the report;
 * then a second interview on a phone, in Chinese, where a spoken answer is refused (no recognizer).
 */
describe('candidate app and admin dashboard', () => {
  let viva: VivaProcess;
  let proxy: FlakyNetwork;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  const fetchSession = async (sessionId: string): Promise<SessionView> => {
    const response = await fetch(`${viva.baseUrl}/api/v1/interview/${sessionId}`);
    assert.equal(response.status, 200);
    return (await response.json()) as SessionView;
  };

  before(async () => {
    await ensureWebBuild();
    viva = await startViva({ SERVE_WEB_APP: 'true', STT_PROVIDER: 'none' });
    proxy = await FlakyNetwork.start(viva.port);
    // the fake microphone (a beep) lets the push-to-talk button record without a permission prompt
    browser = await launchChromium(fakeMicrophoneArgs());
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    pageErrors = watchPageErrors(page);
  });

  after(async () => {
    await browser?.close();
    await proxy?.close();
    await viva?.stop();
  });

  test('starts an interview: details, consent, then the greeting', async () => {
    await page.goto(`${proxy.url}/?questions=2`);
    await page.getByRole('heading', { name: 'Start your interview' }).waitFor();
    await page.getByLabel('Your name').fill('Ada Lovelace');
    await page.getByLabel('Role you are applying for').fill('Backend engineer');
    await page.getByLabel('Level').selectOption('senior');
    await saveScreenshot(page, 'candidate-start-desktop');
    // an empty required field keeps the candidate on the form
    await page.getByLabel('Your name').fill('');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('Please fill in this field.').waitFor();
    await page.getByLabel('Your name').fill('Ada Lovelace');
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.getByRole('heading', { name: 'Before we begin' }).waitFor();
    const consent = await page.locator('form').innerText();
    assert.match(consent, /AI interviewer, not by a person/);
    assert.match(consent, /Recordings of your spoken answers, sent to a speech recognition service/);
    assert.match(consent, /automated, heuristic evaluation/);
    const startButton = page.getByRole('button', { name: 'Agree and start' });
    assert.equal(await startButton.isDisabled(), true, 'consent is required');
    await page.getByLabel('I understand and agree').check();
    await saveScreenshot(page, 'candidate-consent-desktop');
    await startButton.click();

    await page.locator('.message-interviewer:not(.is-streaming)').first().waitFor();
    await waitForConnection(page, 'open');
    const [greeting] = await interviewerTexts(page);
    assert.match(greeting ?? '', /Ada/);
    assert.match(await page.locator('.progress-count').innerText(), /Question 1 of 2/);
    assert.equal(await page.locator('[aria-live="polite"]').count() >= 1, true, 'new messages are announced');
    const saved = await savedSession(page);
    assert.match(saved.sessionId, /^[A-Za-z0-9_-]+$/);
    assert.ok(saved.token, 'the session token is kept for reloads');
  });

  test('streams the reply to a typed answer (Enter sends, Shift+Enter adds a line)', async () => {
    // record whether a reply was ever shown while streaming (ai_response_delta)
    await page.evaluate(() => {
      const flags = window as unknown as { sawStreaming: boolean };
      flags.sawStreaming = false;
      new MutationObserver(() => {
        if (document.querySelector('.message-interviewer.is-streaming')) flags.sawStreaming = true;
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    const box = page.getByRole('textbox', { name: 'Your answer' });
    await box.focus();
    await page.keyboard.type('First line');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('second line');
    assert.equal(await box.inputValue(), 'First line\nsecond line', 'Shift+Enter is a new line, not a send');
    await box.fill('');
    const reply = await answer(page, richAnswers[0] ?? '');
    assert.ok(reply.length > 20);
    assert.equal(await page.evaluate(() => (window as unknown as { sawStreaming: boolean }).sawStreaming), true, 'the reply streamed in');
    assert.deepEqual((await candidateTexts(page)).at(-1), richAnswers[0]);
    assert.match(await page.locator('.progress-count').innerText(), /Question 2 of 2/);
  });

  test('a network cut mid-turn: reconnects by itself and the reply arrives once', async () => {
    const { sessionId } = await savedSession(page);
    const repliesBefore = await interviewerTexts(page);
    const turnsBefore = (await fetchSession(sessionId)).transcript.length;

    // the answer reaches the server, but its reply is lost on the way back; then the network goes away
    proxy.dropReplies();
    const box = page.getByRole('textbox', { name: 'Your answer' });
    await box.fill('Before I answer: could you say a bit more about what the team is like? I would love to hear more.');
    await box.press('Enter');
    for (let waited = 0; (await fetchSession(sessionId)).transcript.length === turnsBefore; waited += 100) {
      assert.ok(waited < 10_000, 'the server answered the input');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    proxy.cut();
    await waitForConnection(page, 'reconnecting');
    assert.equal(await page.locator('.connection').innerText(), 'Reconnecting…');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.deepEqual(await interviewerTexts(page), repliesBefore, 'no reply while offline');

    proxy.restore();
    await waitForConnection(page, 'open');
    await page.locator('.message-interviewer:not(.is-streaming)').nth(repliesBefore.length).waitFor();
    // give a duplicate (a replay plus the re-sent input's answer) time to show up, if it were to
    await new Promise((resolve) => setTimeout(resolve, 800));
    const stored = (await fetchSession(sessionId)).transcript.at(-1);
    const replies = await interviewerTexts(page);
    assert.equal(replies.length, repliesBefore.length + 1, 'the reply arrived exactly once');
    assert.equal(replies.at(-1), stored?.interviewer);
    assert.equal(await page.locator('.message-candidate.is-pending').count(), 0);
    assert.equal((await candidateTexts(page)).filter((text) => text.startsWith('Before I answer')).length, 1);
  });

  test('a reload continues the same interview with the whole conversation', async () => {
    const before = { replies: await interviewerTexts(page), answers: await candidateTexts(page), session: await savedSession(page) };
    await page.reload();
    await waitForConnection(page, 'open');
    await page.locator('.message-interviewer').nth(before.replies.length - 1).waitFor();
    await page.waitForFunction((count) => document.querySelectorAll('.message-candidate').length >= count, before.answers.length);
    assert.deepEqual(await interviewerTexts(page), before.replies);
    assert.deepEqual(await candidateTexts(page), before.answers);
    assert.equal((await savedSession(page)).sessionId, before.session.sessionId);
    assert.match(await page.locator('.progress-count').innerText(), /Question 2 of 2/);
  });

  test('the admin dashboard follows the live session and its message reaches the candidate', async () => {
    const { sessionId } = await savedSession(page);
    const adminContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    adminContext.setDefaultTimeout(10_000);
    const admin = await adminContext.newPage();
    const adminErrors = watchPageErrors(admin);
    await admin.goto(`${proxy.url}/admin`);
    await admin.getByLabel('Admin token').fill('not-the-token');
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.getByText('That token was not accepted').waitFor();

    await admin.getByLabel('Admin token').fill(viva.adminToken);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.getByRole('heading', { name: 'Live statistics' }).waitFor();
    const row = admin.locator(`tr[data-session-id="${sessionId}"]`);
    await row.waitFor();
    assert.match(await row.innerText(), /Ada Lovelace/);
    assert.notEqual(await admin.locator('[data-stat="connections"] dd').innerText(), '0');
    await row.getByRole('button', { name: /View/ }).click();
    await admin.locator('.transcript .line-candidate').first().waitFor();
    assert.match(await admin.locator('.transcript').innerText(), /payments API/);

    await admin.getByLabel('Message to this candidate').fill('Take your time: there is no rush.');
    await admin.getByRole('button', { name: 'Send message' }).click();
    await admin.getByText(/Delivered \(seq \d+\)/).waitFor();
    const notice = page.locator('.message-notice', { hasText: 'Take your time: there is no rush.' });
    await notice.waitFor();
    assert.match(await notice.innerText(), /Message from the interview team/);
    await saveScreenshot(page, 'candidate-interview-desktop');
    await saveScreenshot(admin, 'admin-dashboard', { fullPage: true });

    // the transcript keeps up as the candidate answers
    await answer(page, 'Thank you, that helps. ' + (richAnswers[2] ?? ''));
    await admin.locator('.transcript', { hasText: 'that helps' }).waitFor({ timeout: 6_000 });

    await admin.getByLabel('Message to every connected candidate').fill('The service restarts at 18:00; your progress is kept.');
    await admin.getByRole('button', { name: 'Broadcast', exact: true }).click();
    await admin.getByText(/Sent to [1-9]\d* session/).waitFor();
    await page.locator('.message-notice', { hasText: 'The service restarts at 18:00' }).waitFor();
    // the browser logs the refused sign-in (401) itself; anything else is a fault
    assert.deepEqual(adminErrors.filter((error) => !error.includes('status of 401')), []);
    await adminContext.close();
  });

  test('ends with a thank-you and the candidate\'s own part of the report, never a score', async () => {
    const { sessionId } = await savedSession(page);
    for (let index = 3; (await fetchSession(sessionId)).interview.state !== 'completed'; index++) {
      assert.ok(index < 10, 'the interview ends after a few answers');
      await answer(page, richAnswers[index % richAnswers.length] ?? '');
    }
    const viewReport = page.getByRole('button', { name: 'View your report' });
    await viewReport.waitFor();
    assert.equal(await page.getByRole('textbox', { name: 'Your answer' }).count(), 0, 'no more answers once ended');
    await viewReport.click();
    await page.getByRole('heading', { name: 'Thank you for your interview' }).waitFor();
    assert.ok((await page.locator('.competency').count()) > 0);
    assert.ok((await page.locator('.report-question').count()) >= 2);
    const shown = await page.locator('main').innerText();
    assert.doesNotMatch(shown, /score|\/ 5|recommend|lean no|strong yes/i, 'no score or recommendation for the candidate');
    assert.equal(await page.locator('.score-value, .recommendation, .competency-score').count(), 0);
    await saveScreenshot(page, 'candidate-report-desktop', { fullPage: true });
    // print media shows the report without the app's chrome
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.topbar').isVisible(), false);
    assert.equal(await page.locator('.report').isVisible(), true);
    await page.emulateMedia({ media: 'screen' });
  });

  test('fits a phone screen, speaks Chinese, explains that spoken answers are unavailable, ends early', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    phone.setDefaultTimeout(10_000);
    const mobile = await phone.newPage();
    const mobileErrors = watchPageErrors(mobile);
    await startInterview(mobile, proxy.url, { name: '李雷', role: '前端工程师', level: 'mid', language: 'zh', questions: 3 });
    assert.equal(await mobile.evaluate(() => document.documentElement.lang), 'zh-CN');
    assert.match(await mobile.locator('.connection').innerText(), /已连接/);
    await answer(mobile, '我负责过一个电商网站的前端重构，把首屏加载时间从四秒降到一点五秒，使用了代码分割、懒加载和服务端渲染，并且建立了性能监控。');
    for (const width of [390, 375]) {
      await mobile.setViewportSize({ width, height: 844 });
      const overflow = await mobile.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(overflow, 0, `no sideways scrolling at ${width}px`);
    }
    await mobile.setViewportSize({ width: 390, height: 844 });
    await saveScreenshot(mobile, 'candidate-interview-phone');

    // this server has no recognizer (capabilities.speech_input false): no microphone is offered at all
    assert.equal(await mobile.locator('.composer-mic').isHidden(), true, 'no microphone without a recognizer');
    assert.equal(await mobile.locator('.message-candidate.is-pending').count(), 0, 'the placeholder is gone');
    // the toggle switches the interface language without touching the interview
    await mobile.getByRole('button', { name: '将界面切换为英文' }).click();
    await mobile.getByRole('button', { name: 'End interview' }).waitFor();
    assert.equal(await mobile.evaluate(() => document.documentElement.lang), 'en');

    // ending early asks first, in a modal dialog
    await mobile.getByRole('button', { name: 'End interview' }).click();
    const dialog = mobile.getByRole('dialog', { name: 'End the interview now?' });
    await dialog.getByRole('button', { name: 'Keep going' }).click();
    assert.equal(await dialog.count(), 0);
    await mobile.getByRole('button', { name: 'End interview' }).click();
    await dialog.getByRole('button', { name: 'End interview' }).click();
    await mobile.getByRole('button', { name: 'View your report' }).click();
    await mobile.getByRole('heading', { name: 'Thank you for your interview' }).waitFor();
    assert.deepEqual(mobileErrors, []);
    await phone.close();
  });

  test('no script errors on the page', () => {
    assert.deepEqual(pageErrors.filter((error) => !/WebSocket|ERR_CONNECTION|Failed to load resource/.test(error)), []);
  });
});
