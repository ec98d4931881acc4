import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../e2e/browser.js';
import { startViva, type VivaProcess } from '../helpers/viva-process.js';

/** Console messages of a page that report a CSP violation. */
function watchViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

/**
 * Issue 10, item 7: every HTML answer carries a strict Content-Security-Policy (no inline script), and
 * the pages still work under it in Chromium: the API docs and the HTML report.
 */
describe('Content-Security-Policy on HTML answers', () => {
  let server: VivaProcess;
  let browser: Browser;
  let sessionId: string;
  before(async () => {
    server = await startViva();
    browser = await launchChromium();
    const started = await fetch(`${server.baseUrl}/api/v1/interview/start`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    sessionId = ((await started.json()) as { session_id: string }).session_id;
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('sends a CSP without inline script on /docs and the HTML report', async () => {
    const pages = [
      await fetch(`${server.baseUrl}/docs`),
      await fetch(`${server.baseUrl}/api/v1/interview/${sessionId}/report`, { headers: { accept: 'text/html', authorization: `Bearer ${server.adminToken}` } }),
    ];
    // the report's styles are a served stylesheet; only the swagger UI's are inline (it sets them at run time)
    assert.doesNotMatch(pages[1]?.headers.get('content-security-policy') ?? '', /unsafe-inline/);
    for (const response of pages) {
      assert.match(response.headers.get('content-type') ?? '', /^text\/html/, response.url);
      const policy = response.headers.get('content-security-policy') ?? '';
      assert.match(policy, /script-src 'self'(;|$)/, `${response.url}: ${policy}`);
      const scripts = /script-src ([^;]*)/.exec(policy)?.[1] ?? '';
      assert.doesNotMatch(scripts, /unsafe-inline|unsafe-eval/, response.url);
      assert.match(policy, /script-src-attr 'none'/);
      assert.match(policy, /frame-ancestors 'none'/);
      const html = await response.text();
      assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, `${response.url} has an inline script`);
      assert.doesNotMatch(html, /\son[a-z]+\s*=/i, `${response.url} has an inline event handler`);
    }
  });

  it('renders the API docs (swagger UI) in Chromium under the CSP', async () => {
    const page = await browser.newPage();
    const violations = watchViolations(page);
    await page.goto(`${server.baseUrl}/docs`);
    await page.locator('.swagger-ui .info .title').waitFor({ timeout: 15_000 });
    await page.locator('.opblock').first().waitFor();
    assert.deepEqual(violations, []);
    await page.close();
  });

  it('renders the HTML report with its style and a working print button in Chromium', async () => {
    const page = await browser.newPage();
    const violations = watchViolations(page);
    // the whole report is the hiring team's (a candidate gets the summary, as JSON)
    await page.setExtraHTTPHeaders({ accept: 'text/html', authorization: `Bearer ${server.adminToken}` });
    await page.goto(`${server.baseUrl}/api/v1/interview/${sessionId}/report`);
    await page.locator('h1').waitFor();
    const maxWidth = await page.evaluate(() => getComputedStyle(document.body).maxWidth);
    assert.equal(maxWidth, '860px', 'the served stylesheet applies');
    await page.evaluate(() => {
      window.print = () => {
        document.body.dataset.printed = 'yes';
      };
    });
    await page.getByRole('button').click();
    assert.equal(await page.evaluate(() => document.body.dataset.printed), 'yes', 'the print button works from the served script');
    assert.deepEqual(violations, []);
    await page.close();
  });
});
