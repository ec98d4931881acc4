import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorCodeList, errorCodes } from '@viva/protocol/error-codes.js';
import { CloseCode } from '@viva/protocol/close-codes.js';
import { errorDataSchema } from '@viva/protocol/server-messages.js';
import { projectRoot } from '../../src/package-info.js';

const codesIn = (text: string) => new Set([...text.matchAll(/`([A-Z][A-Z_]+[A-Z])`/g)].map((match) => match[1]));

describe('one error registry', () => {
  it('lists the same codes as the protocol reference, the docs and the error schema', () => {
    const registry = new Set<string>(errorCodeList);
    const contract = readFileSync(join(projectRoot, 'docs', 'protocol.md'), 'utf8');
    const contractList = contract.slice(contract.indexOf('### Error codes'), contract.indexOf('### Close codes'));
    assert.deepEqual(new Set([...codesIn(contractList)].filter((code) => code !== undefined)), registry);
    const docs = readFileSync(join(projectRoot, 'docs', 'protocol-errors.md'), 'utf8');
    const documented = docs.slice(0, docs.indexOf('## Close codes'));
    const rows = new Set([...documented.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((match) => match[1]));
    assert.deepEqual(rows, registry);
    for (const code of registry) assert.match(documented, new RegExp(`\`${code}\` \\| ${errorCodes[code as keyof typeof errorCodes].httpStatus} `));
    assert.deepEqual(new Set(errorDataSchema.shape.code.options), registry);
  });

  it('documents every close code the server uses', () => {
    const docs = readFileSync(join(projectRoot, 'docs', 'protocol-errors.md'), 'utf8');
    for (const code of Object.values(CloseCode)) assert.match(docs, new RegExp(`\\| ${code} \\|`));
  });
});
