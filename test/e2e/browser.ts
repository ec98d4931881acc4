import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Chromium as installed on the machine (never a downloaded one), headless and quiet. */
const baseArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Flags that give Chromium a microphone without a prompt: a beep, or speech from `audioFile` (a WAV). */
export function fakeMicrophoneArgs(audioFile?: string): string[] {
  return [
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    ...(audioFile === undefined ? [] : [`--use-file-for-fake-audio-capture=${audioFile}`]),
  ];
}

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...baseArgs, ...extraArgs],
  });
}

const screenshotDirectory = join(process.cwd(), 'docs', 'screenshots');

/** Writes docs/screenshots/NAME.png (the product's screenshots are made by the e2e run). */
export async function saveScreenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  await mkdir(screenshotDirectory, { recursive: true });
  // a caret or a spinner mid-animation makes screenshots differ from run to run; Playwright stops them
  // itself (an injected <style> would be refused by the pages' Content-Security-Policy)
  await page.screenshot({ path: join(screenshotDirectory, `${name}.png`), fullPage: options.fullPage ?? false, animations: 'disabled', caret: 'hide' });
}

/** Collects uncaught page errors and console errors, so a test can assert that there were none. */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}
