import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startViva, type VivaProcess } from '../helpers/viva-process.js';
import { launchChromium, saveScreenshot, watchPageErrors } from './browser.js';
import { answerUntilEnded, richAnswers } from './candidate-page.js';
import { ensureWebBuild } from './web-build.js';

/**
 * The hiring team's side in real Chromium: a recruiter creates a template in the dashboard, a candidate
 * opens its invite link in another browser context, completes the interview and leaves; the recruiter
 * then finds the interview with its report, and the candidate never saw a score.
 */
describe('recruiting: template, invite link, dashboard', () => {
  let viva: VivaProcess;
  let browser: Browser;

  before(async () => {
    await ensureWebBuild();
    viva = await startViva({ SERVE_WEB_APP: 'true', STT_PROVIDER: 'none' });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await viva?.stop();
  });

  const noSidewaysScroll = async (page: Page, width: number) => {
    await page.setViewportSize({ width, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, `no sideways scrolling at ${width}px`);
  };

  test('a recruiter invites, a candidate interviews, the recruiter finds the report after the candidate left', async () => {
    const recruiterContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    recruiterContext.setDefaultTimeout(15_000);
    const admin = await recruiterContext.newPage();
    const adminErrors = watchPageErrors(admin);
    await admin.goto(`${viva.baseUrl}/admin`);
    await admin.getByLabel('Admin token').fill(viva.adminToken);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.getByRole('heading', { name: 'Interview templates' }).waitFor();

    await admin.getByLabel('Job name').fill('Platform engineer, Berlin');
    await admin.getByLabel('Role', { exact: true }).first().fill('Platform engineer');
    await admin.getByLabel('Level').selectOption('senior');
    await admin.getByLabel('Questions').fill('2');
    await admin.getByRole('button', { name: 'Create template' }).click();
    const card = admin.locator('.template-card', { hasText: 'Platform engineer, Berlin' });
    await card.waitFor();
    const inviteUrl = await card.getByLabel('Invite link').inputValue();
    assert.match(inviteUrl, /\/\?invite=[A-Za-z0-9_-]{16,}$/);

    // the candidate, in a browser of their own
    const candidateContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'en-US' });
    candidateContext.setDefaultTimeout(15_000);
    const candidate = await candidateContext.newPage();
    const candidateErrors = watchPageErrors(candidate);
    await candidate.goto(inviteUrl);
    await candidate.getByRole('heading', { name: 'Your interview: Platform engineer, Berlin' }).waitFor();
    assert.match(await candidate.locator('.invite-details').innerText(), /Platform engineer · Senior · about 30 minutes, 2 questions/);
    assert.equal(await candidate.getByLabel('Role you are applying for').count(), 0, 'the candidate cannot change the role');
    assert.equal(await candidate.getByLabel('Level').count(), 0, 'nor the level');
    await candidate.getByLabel('Your name').fill('Margaret Hamilton');
    await candidate.getByRole('button', { name: 'Continue' }).click();
    await candidate.getByLabel('I understand and agree').check();
    await candidate.getByRole('button', { name: 'Agree and start' }).click();
    await candidate.locator('.message-interviewer:not(.is-streaming)').first().waitFor();
    assert.equal(new URL(candidate.url()).search, '', 'the invite leaves the address bar, so a reload resumes');

    const viewReport = await answerUntilEnded(candidate, richAnswers);
    await viewReport.click();
    await candidate.getByRole('heading', { name: 'Thank you for your interview' }).waitFor();
    const seen = await candidate.locator('main').innerText();
    assert.doesNotMatch(seen, /score|\/ 5|recommend|strong yes|lean no/i, 'the candidate never sees a score');
    assert.deepEqual(candidateErrors, []);
    await candidateContext.close();

    // later, the recruiter finds the interview among all interviews, with its report
    const row = admin.locator('.interview-item', { hasText: 'Margaret Hamilton' });
    // the list follows the poll (every 2 s): completed, scored and no longer live
    await row.filter({ hasText: /\d\.\d \/ 5/ }).filter({ hasNotText: 'Live' }).waitFor();
    assert.match(await row.innerText(), /Platform engineer · Senior · Platform engineer, Berlin/);
    assert.match(await row.innerText(), /Completed/);
    await row.getByRole('button').click();
    await admin.getByRole('heading', { name: 'Report', exact: true }).waitFor();
    assert.match(await admin.locator('.detail-report').innerText(), /\d\.\d \/ 5/);
    const guide = admin.locator('.report-questions > li').first().locator('.scoring-guide');
    // the engine's own guide for the question, lowest score first
    assert.match(await guide.innerText(), /^Scoring guide\s+1\s+\S.*\s+3\s+\S.*\s+5\s+\S/s);
    assert.match(await admin.locator('.detail-role').innerText(), /Platform engineer · Senior/);

    // filters: by state and by search
    await admin.getByLabel('State').selectOption('in_progress');
    await admin.locator('.interview-list .empty').waitFor();
    await admin.getByLabel('State').selectOption('completed');
    await row.waitFor();

    await card.getByRole('button', { name: 'Compare candidates' }).click();
    const comparison = card.locator('table.comparison');
    await comparison.waitFor();
    assert.match(await comparison.innerText(), /Margaret Hamilton/);
    assert.match(await card.innerText(), /1 candidate\(s\) · 1 completed/);
    await saveScreenshot(admin, 'admin-recruiting-desktop', { fullPage: true });

    for (const width of [390, 375]) await noSidewaysScroll(admin, width);
    await saveScreenshot(admin, 'admin-recruiting-phone', { fullPage: true });

    // on the phone, the recruiter edits the template; the next candidate gets the new settings
    await card.getByRole('button', { name: 'Compare candidates' }).click();
    await card.getByRole('button', { name: 'Edit' }).click();
    const editForm = card.getByRole('form', { name: 'Save changes' });
    assert.equal(await editForm.getByLabel('Job name').inputValue(), 'Platform engineer, Berlin', 'the form opens with the current settings');
    assert.equal(await editForm.getByLabel('Level').inputValue(), 'senior');
    await editForm.getByLabel('Job name').fill('Staff platform engineer, Berlin');
    await editForm.getByLabel('Level').selectOption('lead');
    await editForm.getByLabel('Questions').fill('3');
    await editForm.getByLabel('Minutes').fill('20');
    await editForm.getByLabel('Job description').fill('Runs the Kubernetes platform for 40 product teams.');
    await editForm.getByLabel('Focus areas').fill('Kubernetes, incident response');
    await noSidewaysScroll(admin, 375);
    await card.locator('.template-actions').evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await saveScreenshot(admin, 'admin-template-edit-phone');
    await editForm.getByRole('button', { name: 'Save changes' }).click();
    await card.getByText('Saved “Staff platform engineer, Berlin”').waitFor();
    assert.match(await card.innerText(), /Platform engineer · Lead \/ Staff · English · 3 questions, 20 min/);
    assert.match(await card.innerText(), /Focus: Kubernetes, incident response/);
    assert.equal(await card.getByLabel('Invite link').inputValue(), inviteUrl, 'the invite link stays the same');

    const nextContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'en-US' });
    nextContext.setDefaultTimeout(15_000);
    const next = await nextContext.newPage();
    await next.goto(inviteUrl);
    await next.getByRole('heading', { name: 'Your interview: Staff platform engineer, Berlin' }).waitFor();
    assert.match(await next.locator('.invite-details').innerText(), /Platform engineer · Lead \/ Staff · about 20 minutes, 3 questions/);
    await next.getByLabel('Your name').fill('Annie Easley');
    await next.getByRole('button', { name: 'Continue' }).click();
    await next.getByLabel('I understand and agree').check();
    await next.getByRole('button', { name: 'Agree and start' }).click();
    await next.getByText(/Question \d of 3/).first().waitFor();
    await nextContext.close();
    const nextRow = admin.locator('.interview-item', { hasText: 'Annie Easley' });
    await admin.getByLabel('State').selectOption('');
    await nextRow.waitFor();
    assert.match(await nextRow.innerText(), /Platform engineer · Lead \/ Staff · Staff platform engineer, Berlin/);
    assert.deepEqual(adminErrors, []);
    await recruiterContext.close();
  });
});
