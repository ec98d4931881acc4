import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InterviewTemplate } from '../../src/interview/interview-templates.js';
import { initialProgress } from '../../src/interview/interview-types.js';
import type { SessionRecord } from '../../src/interview/session-store.js';
import type { ContractStore, MakeContractStore } from './session-store-contract.js';

/** Templates and the session search (docs/protocol.md §10), run by every adapter as part of its contract suite. */

function template(id: string, invite: string, name = `Template ${id}`): InterviewTemplate {
  return {
    template_id: id,
    name,
    interview: { role: 'Backend engineer', level: 'senior', language: 'en', question_count: 4, max_minutes: 20 },
    focus: ['system design'],
    invite,
    created_at: '2026-12-01T10:00:00.000Z',
    updated_at: '2026-12-01T10:00:00.000Z',
  };
}

/** Waits until the wall clock has moved past `iso`, so the next timestamp is strictly later. */
async function clockPast(iso: string): Promise<void> {
  while (new Date().toISOString() <= iso) await new Promise((resolve) => setTimeout(resolve, 1));
}

function ids(records: SessionRecord[]): string[] {
  return records.map((record) => record.id);
}

export function runRecruitingContract(name: string, makeStore: MakeContractStore): void {
  function withStore(run: (context: ContractStore) => Promise<void>): () => Promise<void> {
    return async () => {
      const context = await makeStore();
      try {
        await run(context);
      } finally {
        await context.cleanup();
      }
    };
  }

  describe(`SessionStore contract (recruiting): ${name}`, () => {
    it(
      'templates are created, found by id and invite, edited, listed with counts and deleted',
      withStore(async (context) => {
        let store = context.store;
        const first = template('t-1', 'invite-1', 'Backend, senior');
        assert.deepEqual(await store.createTemplate(first), first);
        await store.createTemplate(template('t-2', 'invite-2'));
        await assert.rejects(store.createTemplate(template('t-3', 'invite-1')), 'an invite key is unique');
        assert.deepEqual(await store.getTemplate('t-1'), first);
        assert.deepEqual(await store.findTemplateByInvite('invite-2'), template('t-2', 'invite-2'));
        assert.equal(await store.getTemplate('nope'), null);
        assert.equal(await store.findTemplateByInvite('nope'), null);

        const edited = await store.updateTemplate('t-1', { name: 'Backend, lead', interview: { role: 'Backend engineer', level: 'lead' } });
        assert.equal(edited?.name, 'Backend, lead');
        assert.deepEqual(edited?.interview, { role: 'Backend engineer', level: 'lead' });
        assert.deepEqual(edited?.focus, ['system design'], 'fields not in the patch stay');
        assert.equal(edited?.invite, 'invite-1');
        assert.ok((edited?.updated_at ?? '') > first.updated_at);
        assert.equal(await store.updateTemplate('nope', { name: 'x' }), null);

        await store.createSession({ id: 'a', template_id: 't-1' });
        await store.createSession({ id: 'b', template_id: 't-1' });
        await store.createSession({ id: 'c' });
        const done = await store.getSession('b');
        assert.equal(done?.template_id, 't-1');
        assert.equal((await store.getSession('c'))?.template_id, null);
        await store.updateSession('b', { progress: { ...initialProgress(), state: 'completed' } });

        if (context.reopen) store = await context.reopen();
        const listed = await store.listTemplates();
        assert.deepEqual(
          listed.map((entry) => [entry.template_id, entry.candidates, entry.completed]),
          [
            ['t-1', 2, 1],
            ['t-2', 0, 0],
          ],
        );
        assert.equal(listed[0]?.name, 'Backend, lead');

        assert.equal(await store.deleteTemplate('t-1'), true);
        assert.equal(await store.deleteTemplate('t-1'), false);
        assert.equal(await store.getTemplate('t-1'), null);
        assert.equal((await store.getSession('a'))?.template_id, 't-1', 'sessions keep their template id');
      }),
    );

    it(
      'searchSessions filters by state, template, name or id, and creation time, pages by cursor, newest first',
      withStore(async ({ store }) => {
        const created: SessionRecord[] = [];
        const names = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Ada Yonath', 'Linus'];
        for (const [index, candidateName] of names.entries()) {
          const { session } = await store.createSession({
            id: `s-${index}`,
            candidate: { name: candidateName },
            ...(index % 2 === 0 ? { template_id: 'tpl' } : {}),
          });
          created.push(session);
          await clockPast(session.created_at);
        }
        await store.updateSession('s-1', { progress: { ...initialProgress(), state: 'in_progress' } });
        await store.updateSession('s-2', { progress: { ...initialProgress(), state: 'completed' } });
        await store.updateSession('s-4', { progress: { ...initialProgress(), state: 'completed' } });

        assert.deepEqual(ids(await store.searchSessions({ limit: 50 })), ['s-4', 's-3', 's-2', 's-1', 's-0']);
        assert.deepEqual(ids(await store.searchSessions({ limit: 50, state: 'completed' })), ['s-4', 's-2']);
        assert.deepEqual(ids(await store.searchSessions({ limit: 50, state: 'not_started' })), ['s-3', 's-0']);
        assert.deepEqual(ids(await store.searchSessions({ limit: 50, template_id: 'tpl' })), ['s-4', 's-2', 's-0']);
        assert.deepEqual(ids(await store.searchSessions({ limit: 50, template_id: 'tpl', state: 'completed' })), ['s-4', 's-2']);
        assert.deepEqual(ids(await store.searchSessions({ limit: 50, q: 'ada' })), ['s-3', 's-0'], 'name, any case');
        assert.deepEqual(ids(await store.searchSessions({ limit: 50, q: 'S-1' })), ['s-1'], 'id, any case');
        assert.deepEqual(ids(await store.searchSessions({ limit: 50, q: '%' })), [], 'no wildcards');

        const second = created[1]?.created_at ?? '';
        const fourth = created[3]?.created_at ?? '';
        assert.deepEqual(ids(await store.searchSessions({ limit: 50, created_from: second, created_before: fourth })), ['s-2', 's-1']);

        const pages: string[][] = [];
        let after: { created_at: string; id: string } | undefined;
        for (;;) {
          const page = await store.searchSessions({ limit: 2, after });
          if (page.length === 0) break;
          pages.push(ids(page));
          const last = page.at(-1);
          after = last === undefined ? undefined : { created_at: last.created_at, id: last.id };
        }
        assert.deepEqual(pages, [['s-4', 's-3'], ['s-2', 's-1'], ['s-0']]);

        const found = await store.searchSessions({ limit: 1, q: 'Linus' });
        assert.deepEqual(found[0], await store.getSession('s-4'), 'the same record getSession gives');
      }),
    );

    it(
      'the cursor breaks ties of created_at by id',
      withStore(async ({ store }) => {
        // sessions created in one go may share a millisecond
        await Promise.all(['x3', 'x1', 'x2'].map((id) => store.createSession({ id })));
        const all = await store.searchSessions({ limit: 10 });
        const first = all[0];
        assert.ok(first !== undefined);
        const rest = await store.searchSessions({ limit: 10, after: { created_at: first.created_at, id: first.id } });
        assert.deepEqual([first.id, ...ids(rest)], ids(all));
        assert.equal(rest.length, 2);
      }),
    );
  });
}
