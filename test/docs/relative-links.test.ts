import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from '../../src/package-info.js';

/** README.md, SECURITY.md, packages/client/README.md and every Markdown file under docs/. */
function documents(): string[] {
  const found = ['README.md', 'SECURITY.md', join('packages', 'client', 'README.md')].filter((file) => existsSync(join(projectRoot, file)));
  const walk = (directory: string) => {
    for (const entry of readdirSync(join(projectRoot, directory))) {
      const path = join(directory, entry);
      if (statSync(join(projectRoot, path)).isDirectory()) walk(path);
      else if (entry.endsWith('.md')) found.push(path);
    }
  };
  walk('docs');
  return found;
}

/** The Markdown links of a document, outside code blocks and code spans: `[text](target)`. */
function linksOf(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1] ?? '');
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchorsOf(markdown: string): Set<string> {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '');
  return new Set(
    [...prose.matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) =>
      (match[1] ?? '')
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    ),
  );
}

const external = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

describe('documentation links', () => {
  it('every relative link in README.md and docs/ resolves to a file in the repository (and its heading, if it names one)', () => {
    const broken: string[] = [];
    const files = documents();
    assert.ok(files.includes(join('docs', 'protocol.md')), 'docs/protocol.md is checked too');
    for (const file of files) {
      const text = readFileSync(join(projectRoot, file), 'utf8');
      for (const link of linksOf(text)) {
        if (external.test(link)) continue;
        const [pathPart = '', anchor] = link.split('#');
        const target = pathPart === '' ? join(projectRoot, file) : resolve(projectRoot, dirname(file), decodeURIComponent(pathPart));
        const inside = !relative(projectRoot, target).startsWith('..');
        if (!inside || !existsSync(target)) {
          broken.push(`${file}: ${link} (${inside ? 'no such file' : 'outside the repository'})`);
          continue;
        }
        if (anchor !== undefined && anchor !== '' && target.endsWith('.md') && !anchorsOf(readFileSync(target, 'utf8')).has(anchor)) {
          broken.push(`${file}: ${link} (no heading #${anchor})`);
        }
      }
    }
    assert.deepEqual(broken, []);
  });

  it('finds links the way the check above reads them', () => {
    // the check must not pass by reading nothing: a known link, an anchor and code are told apart
    assert.deepEqual(linksOf('See [a](docs/a.md#x) and `[b](no.md)`.\n```\n[c](no.md)\n```\n'), ['docs/a.md#x']);
    assert.ok(anchorsOf('## 4. What the server sends\n').has('4-what-the-server-sends'));
  });
});
