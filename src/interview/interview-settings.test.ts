import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeLevel, resolveSettings } from './interview-settings.js';

describe('resolveSettings', () => {
  it('applies the defaults', () => {
    assert.deepEqual(resolveSettings({}), {
      role: 'Software Engineer',
      level: 'mid',
      language: 'en',
      job_description: undefined,
      resume_text: undefined,
      question_count: 6,
      max_minutes: 30,
    });
  });

  it('names the default role in Chinese for a Chinese interview', () => {
    assert.equal(resolveSettings({ language: 'zh' }).role, '软件工程师');
  });

  it('keeps given values, trims text and normalizes the level', () => {
    const settings = resolveSettings({
      role: '  Backend Engineer ',
      level: 'Sr.',
      language: 'zh',
      job_description: ' Go and Kafka ',
      resume_text: '   ',
      question_count: 9,
      max_minutes: 45,
    });
    assert.equal(settings.role, 'Backend Engineer');
    assert.equal(settings.level, 'senior');
    assert.equal(settings.language, 'zh');
    assert.equal(settings.job_description, 'Go and Kafka');
    assert.equal(settings.resume_text, undefined);
    assert.equal(settings.question_count, 9);
    assert.equal(settings.max_minutes, 45);
  });

  it('clamps budgets that bypassed the wire schema', () => {
    assert.equal(resolveSettings({ question_count: 0 }).question_count, 1);
    assert.equal(resolveSettings({ question_count: 99 }).question_count, 30);
    assert.equal(resolveSettings({ max_minutes: 1000 }).max_minutes, 240);
  });
});

describe('normalizeLevel', () => {
  const cases: Array<[string | undefined, string]> = [
    ['Senior', 'senior'],
    ['sr', 'senior'],
    ['Sr. Engineer', 'senior'],
    ['高级', 'senior'],
    ['资深', 'senior'],
    ['junior', 'junior'],
    ['Jr', 'junior'],
    ['初级', 'junior'],
    ['entry level', 'junior'],
    ['Entry', 'junior'],
    ['intern', 'junior'],
    ['应届生', 'junior'],
    ['staff', 'lead'],
    ['Lead', 'lead'],
    ['Tech Lead', 'lead'],
    ['principal', 'lead'],
    ['Senior Staff', 'lead'],
    ['技术负责人', 'lead'],
    ['中级', 'mid'],
    ['mid-level', 'mid'],
    ['Intermediate', 'mid'],
    ['', 'mid'],
    [undefined, 'mid'],
    ['something else', 'mid'],
  ];
  for (const [input, expected] of cases) {
    it(`maps ${JSON.stringify(input)} to ${expected}`, () => {
      assert.equal(normalizeLevel(input), expected);
    });
  }
});
