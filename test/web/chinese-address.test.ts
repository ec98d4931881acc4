import assert from 'node:assert/strict';
import { test } from 'node:test';
import { zh } from '../../web/src/shared/strings-zh.js';

// the interviewer says 你 (src/providers/llm/prompts/interviewer.zh.md and the built-in engine); the
// interface around it must not switch to the formal 您 (issue 13, item 6)
test('the Chinese interface addresses the candidate with 你, as the interviewer does', () => {
  const formal = Object.entries(zh).filter(([, text]) => text.includes('您'));
  assert.deepEqual(formal, []);
});
