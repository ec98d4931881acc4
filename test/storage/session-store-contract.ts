import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { initialProgress, type InterviewPlan, type InterviewProgress } from '../../src/interview/interview-types.js';
import type {
  CommitRequest,
  SessionStore,
  StoredTurn,
  UnnumberedMessage,
} from '../../src/interview/session-store.js';
import { serverMessage, type DurableMessage } from '@viva/protocol/server-messages.js';
import { VivaError, isVivaError } from '@viva/protocol/viva-error.js';
import { TurnSequenceError } from '../../src/storage/session-records.js';
import { runRecruitingContract } from './recruiting-contract.js';

/**
 * The one suite every SessionStore adapter runs (docs/architecture.md, "Contract suites"). Each test gets a
 * fresh, empty store from `makeStore`; `reopen` (when the adapter persists) closes the store and opens the
 * same storage again, and `cleanup` closes whatever store is current and removes its files.
 */
export interface ContractStore {
  store: SessionStore;
  reopen?: () => Promise<SessionStore>;
  cleanup: () => Promise<void>;
}

export type MakeContractStore = () => Promise<ContractStore>;

const isoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function transcription(sessionId: string, text: string, replyTo?: string): UnnumberedMessage {
  return serverMessage('transcription', sessionId, { text, audio_format: 'webm', duration_ms: 1234.5 }, {
    reply_to: replyTo,
  });
}

function aiResponse(sessionId: string, text: string, turn: number, replyTo?: string): UnnumberedMessage {
  return serverMessage(
    'ai_response',
    sessionId,
    {
      ai_response: text,
      turn,
      interview: { state: 'in_progress', stage: 'technical', question_number: turn, total_questions: 6 },
      follow_up: false,
      latency_ms: { ai: 812, total: 900.25 },
    },
    { reply_to: replyTo },
  );
}

function notice(sessionId: string, message: string, data?: Record<string, unknown>): UnnumberedMessage {
  const body = data === undefined ? { message, from: 'admin' as const } : { message, from: 'admin' as const, data };
  return serverMessage('notice', sessionId, body);
}

function turnOf(turn: number, inputId: string | null, reply = `reply ${turn}`): Omit<StoredTurn, 'created_at'> {
  return {
    turn,
    input_id: inputId,
    input_kind: inputId === null ? 'start' : 'text',
    candidate_text: inputId === null ? null : `answer ${turn}`,
    reply,
    follow_up: turn % 2 === 0,
    cancelled: false,
  };
}

function progressAt(index: number): InterviewProgress {
  return {
    ...initialProgress(),
    state: 'in_progress',
    started_at: '2026-11-24T13:00:00.000Z',
    greeted: true,
    current_index: index,
    last_question: `question ${index}`,
  };
}

const samplePlan: InterviewPlan = {
  track: 'backend',
  role: 'Backend engineer',
  level: 'senior',
  language: 'en',
  created_by: 'builtin',
  questions: [
    { id: 'q1', stage: 'opening', text: 'Tell me about yourself.', competency: 'communication' },
    { id: 'q2', stage: 'technical', text: 'How would you design a rate limiter?', competency: 'system design' },
  ],
};

/** Waits until the wall clock has moved past `iso`, so the next timestamp is strictly later. */
async function clockPast(iso: string): Promise<void> {
  while (new Date().toISOString() <= iso) await new Promise((resolve) => setTimeout(resolve, 1));
}

function seqsOf(messages: DurableMessage[]): number[] {
  return messages.map((message) => message.seq);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

/** Runs a change to a record the store handed out; a TypeError (the record is frozen) is as good as a copy. */
function attemptChange(change: () => unknown): void {
  try {
    change();
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
}

async function rejectsWithCode(promise: Promise<unknown>, code: 'SESSION_NOT_FOUND'): Promise<void> {
  await assert.rejects(promise, (error: unknown) => isVivaError(error, code));
}

export function runSessionStoreContract(name: string, makeStore: MakeContractStore): void {
  /** Runs one test against a fresh store and always cleans up. */
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

  runRecruitingContract(name, makeStore);
  describe(`SessionStore contract: ${name}`, () => {
    describe('sessions', () => {
      it(
        'createSession inserts only when absent and leaves an existing session untouched',
        withStore(async ({ store }) => {
          const first = await store.createSession({ id: 's-1', candidate: { name: 'Ada' }, settings: { role: 'SRE' } });
          assert.equal(first.created, true);
          assert.deepEqual(first.session, {
            id: 's-1',
            created_at: first.session.created_at,
            updated_at: first.session.created_at,
            candidate: { name: 'Ada' },
            settings: { role: 'SRE' },
            plan: null,
            progress: initialProgress(),
            report: null,
            last_seq: 0,
            turn_count: 0,
            template_id: null,
          });
          assert.match(first.session.created_at, isoTimestamp);

          await store.commit({ session_id: 's-1', messages: [notice('s-1', 'hello')] });
          const before = await store.getSession('s-1');
          const second = await store.createSession({ id: 's-1', candidate: { name: 'Eve' }, settings: { role: 'PM' } });
          assert.equal(second.created, false);
          assert.deepEqual(second.session, before);
          assert.deepEqual(await store.getSession('s-1'), before);
          assert.equal(await store.countSessions(), 1);
        }),
      );

      it(
        'createSession without candidate or settings stores empty objects',
        withStore(async ({ store }) => {
          const { session } = await store.createSession({ id: 'bare' });
          assert.deepEqual(session.candidate, {});
          assert.deepEqual(session.settings, {});
          assert.deepEqual(await store.getSession('bare'), session);
        }),
      );

      it(
        'getSession is null for an unknown id',
        withStore(async ({ store }) => {
          assert.equal(await store.getSession('nobody'), null);
        }),
      );

      it(
        'updateSession patches only the given fields and bumps updated_at',
        withStore(async ({ store }) => {
          const { session } = await store.createSession({
            id: 'u',
            candidate: { name: 'Ada' },
            settings: { role: 'SRE' },
          });
          await clockPast(session.updated_at);

          const planned = await store.updateSession('u', { plan: samplePlan, progress: progressAt(0) });
          assert.deepEqual(planned.plan, samplePlan);
          assert.deepEqual(planned.progress, progressAt(0));
          assert.deepEqual(planned.candidate, { name: 'Ada' });
          assert.deepEqual(planned.settings, { role: 'SRE' });
          assert.equal(planned.report, null);
          assert.equal(planned.created_at, session.created_at);
          assert.ok(planned.updated_at > session.updated_at, 'updated_at moves forward');
          assert.match(planned.updated_at, isoTimestamp);
          assert.deepEqual(await store.getSession('u'), planned);

          // undefined means "not given"; null clears
          const cleared = await store.updateSession('u', { plan: null, candidate: undefined });
          assert.equal(cleared.plan, null);
          assert.deepEqual(cleared.candidate, { name: 'Ada' });
          assert.deepEqual(cleared.progress, progressAt(0));
          assert.deepEqual(await store.getSession('u'), cleared);
        }),
      );

      it(
        'updateSession rejects an unknown id with SESSION_NOT_FOUND and creates nothing',
        withStore(async ({ store }) => {
          await rejectsWithCode(store.updateSession('ghost', { plan: null }), 'SESSION_NOT_FOUND');
          assert.equal(await store.getSession('ghost'), null);
          assert.equal(await store.countSessions(), 0);
        }),
      );

      it(
        'records handed out are copies or frozen: mutating them or the inputs changes nothing stored',
        withStore(async ({ store }) => {
          const candidate = { name: 'Ada' };
          const { session } = await store.createSession({ id: 'copy', candidate });
          candidate.name = 'changed input';
          // a store that keeps hot records in memory hands them out frozen: changing one throws
          attemptChange(() => {
            session.candidate.name = 'changed output';
          });
          attemptChange(() =>
            session.progress.records.push({
              question_id: 'x',
              question: 'x',
              stage: 'opening',
              competency: 'x',
              answer: 'x',
              follow_ups: [],
              skipped: false,
              unknown: false,
            }),
          );
          const stored = await store.getSession('copy');
          assert.deepEqual(stored?.candidate, { name: 'Ada' });
          assert.deepEqual(stored?.progress, initialProgress());

          const message = notice('copy', 'original', { nested: { value: 1 } });
          const { messages } = await store.commit({ session_id: 'copy', messages: [message] });
          (message.data as { message: string }).message = 'changed input';
          (messages[0]?.data as { message: string }).message = 'changed output';
          const [replayed] = await store.messagesAfter('copy', 0);
          assert.equal((replayed?.data as { message: string }).message, 'original');
        }),
      );
    });

    describe('commit', () => {
      it(
        'numbers messages gap-free from last_seq + 1, in request order, and returns them as stored',
        withStore(async ({ store }) => {
          await store.createSession({ id: 'c' });
          const first = await store.commit({
            session_id: 'c',
            messages: [transcription('c', 'hi', 'in-1'), aiResponse('c', 'Hello!', 1, 'in-1')],
          });
          assert.deepEqual(seqsOf(first.messages), [1, 2]);
          assert.equal(first.session.last_seq, 2);
          assert.deepEqual(
            first.messages.map((message) => message.type),
            ['transcription', 'ai_response'],
          );
          for (const message of first.messages) {
            assert.equal(message.session_id, 'c');
            assert.equal(message.reply_to, 'in-1');
          }

          const second = await store.commit({
            session_id: 'c',
            messages: [notice('c', 'a'), notice('c', 'b'), notice('c', 'c')],
          });
          assert.deepEqual(seqsOf(second.messages), [3, 4, 5]);
          assert.equal(second.session.last_seq, 5);
          assert.equal((await store.getSession('c'))?.last_seq, 5);
          assert.deepEqual(await store.messagesAfter('c', 0), [...first.messages, ...second.messages]);
          // no reply_to given: none stored (absent, not null)
          assert.equal('reply_to' in (second.messages[0] ?? {}), false);
        }),
      );

      it(
        'stores each message under the committed session, whatever session_id the message carried',
        withStore(async ({ store }) => {
          await store.createSession({ id: 'mine' });
          const { messages } = await store.commit({ session_id: 'mine', messages: [notice('other', 'x')] });
          assert.equal(messages[0]?.session_id, 'mine');
          assert.equal((await store.messagesAfter('mine', 0))[0]?.session_id, 'mine');
        }),
      );

      it(
        'commit with no messages applies the patch and keeps last_seq',
        withStore(async ({ store }) => {
          const { session } = await store.createSession({ id: 'p' });
          await clockPast(session.updated_at);
          const result = await store.commit({ session_id: 'p', messages: [], patch: { plan: samplePlan } });
          assert.deepEqual(result.messages, []);
          assert.equal(result.session.last_seq, 0);
          assert.deepEqual(result.session.plan, samplePlan);
          assert.ok(result.session.updated_at > session.updated_at);
          assert.deepEqual(await store.getSession('p'), result.session);
        }),
      );

      it(
        'commit rejects an unknown session with SESSION_NOT_FOUND and creates nothing',
        withStore(async ({ store }) => {
          const request = { session_id: 'ghost', messages: [notice('ghost', 'x')] };
          await rejectsWithCode(store.commit(request), 'SESSION_NOT_FOUND');
          assert.equal(await store.getSession('ghost'), null);
          assert.deepEqual(await store.messagesAfter('ghost', 0), []);
        }),
      );

      it(
        'commit with a turn increments turn_count and the turn is listed by turns()',
        withStore(async ({ store }) => {
          await store.createSession({ id: 't' });
          const greeting = await store.commit({
            session_id: 't',
            messages: [aiResponse('t', 'Welcome', 1)],
            turn: turnOf(1, null, 'Welcome'),
            patch: { plan: samplePlan, progress: progressAt(0) },
          });
          assert.equal(greeting.session.turn_count, 1);
          assert.deepEqual(greeting.session.plan, samplePlan);
          assert.deepEqual(greeting.session.progress, progressAt(0));

          const answer = await store.commit({
            session_id: 't',
            messages: [transcription('t', 'answer 2', 'in-2'), aiResponse('t', 'Next', 2, 'in-2')],
            turn: { ...turnOf(2, 'in-2', 'Next'), input_kind: 'audio', cancelled: true },
            patch: { progress: progressAt(1) },
          });
          assert.equal(answer.session.turn_count, 2);
          assert.equal(answer.session.last_seq, 3);

          const turns = await store.turns('t');
          assert.deepEqual(
            turns.map(({ created_at: createdAt, ...turn }) => {
              assert.match(createdAt, isoTimestamp);
              return turn;
            }),
            [turnOf(1, null, 'Welcome'), { ...turnOf(2, 'in-2', 'Next'), input_kind: 'audio', cancelled: true }],
          );
          assert.deepEqual(await store.getSession('t'), answer.session);
          assert.deepEqual(await store.turns('nobody'), []);
        }),
      );

      it(
        'markTurnHeard records what was heard of a spoken reply cut short (barge-in)',
        withStore(async ({ store }) => {
          await store.createSession({ id: 'heard' });
          await store.commit({ session_id: 'heard', messages: [aiResponse('heard', 'Welcome to the interview', 1)], turn: turnOf(1, null, 'Welcome to the interview') });
          assert.equal((await store.turns('heard'))[0]?.interrupted, undefined, 'a turn is not interrupted until marked');
          assert.equal(await store.markTurnHeard('heard', 1, 'Welcome to'), true);
          const [turn] = await store.turns('heard');
          assert.equal(turn?.heard_text, 'Welcome to');
          assert.equal(turn?.interrupted, true);
          assert.equal(turn?.reply, 'Welcome to the interview', 'the reply keeps its full text');
          assert.equal(await store.markTurnHeard('heard', 2, 'x'), false, 'no such turn');
          assert.equal(await store.markTurnHeard('nobody', 1, 'x'), false, 'no such session');
        }),
      );

      it(
        'a commit whose turn is not turn_count + 1 fails whole: no messages, no turn, no patch',
        withStore(async ({ store }) => {
          await store.createSession({ id: 'a' });
          await store.commit({ session_id: 'a', messages: [aiResponse('a', 'Welcome', 1)], turn: turnOf(1, null) });
          const before = await store.getSession('a');
          const bad = (turn: number): CommitRequest => ({
            session_id: 'a',
            messages: [transcription('a', 'x', 'in-x'), aiResponse('a', 'y', turn, 'in-x')],
            turn: turnOf(turn, 'in-x'),
            patch: { plan: samplePlan, progress: progressAt(5) },
          });

          const isTurnError = (error: unknown): boolean => error instanceof TurnSequenceError;
          await assert.rejects(store.commit(bad(1)), isTurnError, 'a turn that already exists');
          await assert.rejects(store.commit(bad(3)), isTurnError, 'a turn that skips one');
          await assert.rejects(store.commit(bad(0)), isTurnError, 'turn zero');

          assert.deepEqual(await store.getSession('a'), before);
          assert.deepEqual(seqsOf(await store.messagesAfter('a', 0)), [1]);
          assert.deepEqual(await store.messagesForInput('a', 'in-x'), []);
          assert.equal((await store.turns('a')).length, 1);

          // and the session goes on numbering from where it was
          const good = await store.commit(bad(2));
          assert.deepEqual(seqsOf(good.messages), [2, 3]);
          assert.equal(good.session.turn_count, 2);
        }),
      );

      it(
        'concurrent commits on one session get unique, gap-free seqs in commit order',
        withStore(async ({ store }) => {
          await store.createSession({ id: 'busy' });
          await store.createSession({ id: 'quiet' });
          const sizes = Array.from({ length: 50 }, (_, index) => (index % 3) + 1);
          const results = await Promise.all([
            ...sizes.map((size, commit) =>
              store.commit({
                session_id: 'busy',
                messages: Array.from({ length: size }, (_, part) => notice('busy', `${commit}.${part}`)),
              }),
            ),
            store.commit({ session_id: 'quiet', messages: [notice('quiet', 'only')] }),
          ]);
          const total = sizes.reduce((sum, size) => sum + size, 0);

          const busyResults = results.slice(0, sizes.length);
          const allSeqs = busyResults.flatMap((result) => seqsOf(result.messages)).sort((a, b) => a - b);
          assert.deepEqual(allSeqs, range(1, total));
          for (const [commit, result] of busyResults.entries()) {
            const seqs = seqsOf(result.messages);
            const start = seqs[0] ?? 0;
            assert.deepEqual(seqs, range(start, start + seqs.length - 1), 'one commit holds consecutive seqs');
            assert.deepEqual(
              result.messages.map((message) => (message.data as { message: string }).message),
              Array.from({ length: sizes[commit] ?? 0 }, (_, part) => `${commit}.${part}`),
              'in request order',
            );
          }

          const stored = await store.messagesAfter('busy', 0);
          assert.deepEqual(seqsOf(stored), range(1, total));
          assert.deepEqual(
            stored,
            busyResults.flatMap((result) => result.messages).sort((a, b) => a.seq - b.seq),
          );
          assert.equal((await store.getSession('busy'))?.last_seq, total);
          assert.deepEqual(seqsOf(await store.messagesAfter('quiet', 0)), [1]);
        }),
      );
    });

    describe('pending inputs (held voice utterances)', () => {
      const wav = Buffer.from('RIFF\u0000\u0001fake wav bytes', 'latin1');

      it(
        'a pending input is kept in order with its audio until the commit of its turn deletes it, in the same commit',
        withStore(async (context) => {
          const { store } = context;
          await store.createSession({ id: 'held-kept' });
          await store.addPendingInput({ session_id: 'held-kept', id: 'voice-1', audio: wav, duration_ms: 1234.4, language: 'en' });
          await store.addPendingInput({ session_id: 'held-kept', id: 'voice-2', audio: Buffer.from([1, 2, 3]), duration_ms: 50, language: null });
          const listed = await store.pendingInputs('held-kept');
          assert.deepEqual(listed.map((input) => [input.id, input.audio.equals(input.id === 'voice-1' ? wav : Buffer.from([1, 2, 3])), input.duration_ms, input.language, input.transcript]), [
            ['voice-1', true, 1234, 'en', null],
            ['voice-2', true, 50, null, null],
          ]);
          assert.match(listed[0]?.created_at ?? '', isoTimestamp);
          assert.deepEqual((await store.pendingInputs('held-kept', false)).map((input) => input.audio.length), [0, 0], 'without audio on request');
          assert.deepEqual(await store.sessionsWithPendingInputs(10), ['held-kept']);

          // the transcription's commit keeps the transcript and drops the audio
          await store.commit({ session_id: 'held-kept', messages: [transcription('held-kept', 'hello')], pending_input: { id: 'voice-1', transcript: 'hello' } });
          const transcribed = (await store.pendingInputs('held-kept'))[0];
          assert.equal(transcribed?.transcript, 'hello');
          assert.equal(transcribed?.audio.length, 0);

          // a failed commit leaves it pending
          await assert.rejects(store.commit({ session_id: 'held-kept', messages: [aiResponse('held-kept', 'y', 5)], turn: turnOf(5, null), pending_input: { id: 'voice-1' } }));
          assert.equal((await store.pendingInputs('held-kept')).length, 2);

          await store.commit({ session_id: 'held-kept', messages: [aiResponse('held-kept', 'Go on', 1)], turn: turnOf(1, null), pending_input: { id: 'voice-1' } });
          assert.deepEqual((await store.pendingInputs('held-kept')).map((input) => input.id), ['voice-2']);
          if (context.reopen !== undefined) {
            const reopened = await context.reopen();
            assert.deepEqual((await reopened.pendingInputs('held-kept')).map((input) => [input.id, input.audio.length]), [['voice-2', 3]], 'kept across a restart');
          }
        }),
      );

      it(
        'dropPendingInput deletes one; erasing the session deletes its pending inputs',
        withStore(async ({ store }) => {
          await store.createSession({ id: 'held-erased' });
          await store.addPendingInput({ session_id: 'held-erased', id: 'voice-1', audio: wav, duration_ms: 10, language: null });
          await store.addPendingInput({ session_id: 'held-erased', id: 'voice-2', audio: wav, duration_ms: 10, language: null });
          assert.equal(await store.dropPendingInput('held-erased', 'voice-1'), true);
          assert.equal(await store.dropPendingInput('held-erased', 'voice-1'), false);
          assert.deepEqual((await store.pendingInputs('held-erased')).map((input) => input.id), ['voice-2']);
          await assert.rejects(store.addPendingInput({ session_id: 'nobody', id: 'voice-1', audio: wav, duration_ms: 10, language: null }), Error, 'no such session');
          assert.equal(await store.deleteSession('held-erased'), true);
          assert.deepEqual(await store.pendingInputs('held-erased'), []);
          assert.deepEqual(await store.sessionsWithPendingInputs(10), []);
        }),
      );
    });

    describe('reading messages', () => {
      it(
        'messagesAfter returns seq > N in order and respects the limit',
        withStore(async ({ store }) => {
          await store.createSession({ id: 'm' });
          for (let index = 0; index < 4; index += 1) {
            await store.commit({ session_id: 'm', messages: [notice('m', `${index}a`), notice('m', `${index}b`)] });
          }
          assert.deepEqual(seqsOf(await store.messagesAfter('m', 0)), range(1, 8));
          assert.deepEqual(seqsOf(await store.messagesAfter('m', 5)), [6, 7, 8]);
          assert.deepEqual(seqsOf(await store.messagesAfter('m', 2, 3)), [3, 4, 5]);
          assert.deepEqual(seqsOf(await store.messagesAfter('m', 6, 10)), [7, 8]);
          assert.deepEqual(await store.messagesAfter('m', 2, 0), []);
          assert.deepEqual(await store.messagesAfter('m', 8), []);
          assert.deepEqual(await store.messagesAfter('m', 100), []);
          assert.deepEqual(await store.messagesAfter('nobody', 0), []);
        }),
      );

      it(
        'messagesForInput returns the messages answering that input id, oldest first',
        withStore(async ({ store }) => {
          await store.createSession({ id: 'i' });
          await store.createSession({ id: 'j' });
          await store.commit({ session_id: 'i', messages: [aiResponse('i', 'Welcome', 1)], turn: turnOf(1, null) });
          await store.commit({
            session_id: 'i',
            messages: [transcription('i', 'first', 'c-1'), aiResponse('i', 'one', 2, 'c-1')],
            turn: turnOf(2, 'c-1'),
          });
          await store.commit({ session_id: 'i', messages: [notice('i', 'between')] });
          await store.commit({ session_id: 'i', messages: [aiResponse('i', 'two', 3, 'c-2')], turn: turnOf(3, 'c-2') });
          await store.commit({ session_id: 'j', messages: [aiResponse('j', 'elsewhere', 1, 'c-1')] });

          const answered = await store.messagesForInput('i', 'c-1');
          assert.deepEqual(seqsOf(answered), [2, 3]);
          assert.deepEqual(
            answered.map((message) => message.type),
            ['transcription', 'ai_response'],
          );
          assert.deepEqual(seqsOf(await store.messagesForInput('i', 'c-2')), [5]);
          assert.deepEqual(await store.messagesForInput('i', 'c-3'), []);
          assert.deepEqual(await store.messagesForInput('nobody', 'c-1'), []);
        }),
      );
    });

    describe('listing and erasing', () => {
      it(
        'listSessions pages through every session once, newest first; countSessions counts them',
        withStore(async ({ store }) => {
          assert.equal(await store.countSessions(), 0);
          assert.deepEqual(await store.listSessions({ limit: 10, offset: 0 }), []);

          const ids = ['e', 'b', 'd', 'a', 'c'];
          for (const id of ids) await store.createSession({ id, candidate: { name: id } });
          assert.equal(await store.countSessions(), 5);

          const pages = [
            await store.listSessions({ limit: 2, offset: 0 }),
            await store.listSessions({ limit: 2, offset: 2 }),
            await store.listSessions({ limit: 2, offset: 4 }),
          ];
          assert.deepEqual(
            pages.map((page) => page.length),
            [2, 2, 1],
          );
          const listed = pages.flat();
          assert.deepEqual(listed.map((session) => session.id).sort(), [...ids].sort());
          for (let index = 1; index < listed.length; index += 1) {
            const previous = listed[index - 1];
            const current = listed[index];
            assert.ok(previous !== undefined && current !== undefined);
            assert.ok(
              previous.created_at > current.created_at ||
                (previous.created_at === current.created_at && previous.id < current.id),
              'newest created first, ties by id',
            );
          }
          assert.deepEqual(listed[0], await store.getSession(listed[0]?.id ?? ''));
          assert.deepEqual(await store.listSessions({ limit: 10, offset: 5 }), []);
          assert.deepEqual(await store.listSessions({ limit: 0, offset: 0 }), []);
        }),
      );

      it(
        'deleteSession erases the session with its messages and turns',
        withStore(async ({ store }) => {
          await store.createSession({ id: 'gone' });
          await store.createSession({ id: 'kept' });
          for (const id of ['gone', 'kept']) {
            await store.commit({
              session_id: id,
              messages: [transcription(id, 'x', 'c-1'), aiResponse(id, 'y', 1, 'c-1')],
              turn: turnOf(1, 'c-1'),
            });
          }

          assert.equal(await store.deleteSession('gone'), true);
          assert.equal(await store.deleteSession('gone'), false);
          assert.equal(await store.deleteSession('never'), false);
          assert.equal(await store.getSession('gone'), null);
          assert.deepEqual(await store.messagesAfter('gone', 0), []);
          assert.deepEqual(await store.messagesForInput('gone', 'c-1'), []);
          assert.deepEqual(await store.turns('gone'), []);
          assert.equal(await store.countSessions(), 1);
          assert.equal((await store.messagesAfter('kept', 0)).length, 2);
          assert.equal((await store.turns('kept')).length, 1);

          // an erased id never comes back (issue 10, item 8): creating it again is refused, and stays refused
          for (let attempt = 0; attempt < 2; attempt += 1) {
            const refused = await store.createSession({ id: 'gone' }).catch((error: unknown) => error);
            assert.ok(refused instanceof VivaError && refused.code === 'SESSION_NOT_FOUND', String(refused));
            assert.equal(refused.details?.reason, 'erased');
          }
          assert.equal(await store.getSession('gone'), null);
          // an id that never existed is not tombstoned by a delete that found nothing
          const fresh = await store.createSession({ id: 'never' });
          assert.equal(fresh.created, true);
          const { messages } = await store.commit({
            session_id: 'never',
            messages: [aiResponse('never', 'hi', 1)],
            turn: turnOf(1, null),
          });
          assert.deepEqual(seqsOf(messages), [1]);
        }),
      );

      it(
        'purgeSessionsBefore deletes sessions last updated before the cutoff, with their messages',
        withStore(async ({ store }) => {
          const old = await store.createSession({ id: 'old' });
          await store.commit({
            session_id: 'old',
            messages: [aiResponse('old', 'x', 1, 'c-1')],
            turn: turnOf(1, 'c-1'),
          });
          await store.createSession({ id: 'revived' });
          const beforeCutoff = await store.getSession('old');
          await clockPast(beforeCutoff?.updated_at ?? old.session.updated_at);
          const cutoff = new Date();
          await clockPast(cutoff.toISOString());
          // created before the cutoff but active since: kept
          await store.commit({ session_id: 'revived', messages: [notice('revived', 'still here')] });
          await store.createSession({ id: 'new' });

          assert.equal(await store.purgeSessionsBefore(cutoff), 1);
          assert.equal(await store.getSession('old'), null);
          assert.deepEqual(await store.messagesAfter('old', 0), []);
          assert.deepEqual(await store.turns('old'), []);
          assert.notEqual(await store.getSession('revived'), null);
          assert.notEqual(await store.getSession('new'), null);
          assert.equal(await store.purgeSessionsBefore(cutoff), 0);
          assert.equal(await store.purgeSessionsBefore(new Date(0)), 0);
          assert.equal(await store.countSessions(), 2);

          // a purged id is tombstoned as an erased one is: its old token cannot re-create it
          const refused = await store.createSession({ id: 'old' }).catch((error: unknown) => error);
          assert.ok(refused instanceof VivaError && refused.code === 'SESSION_NOT_FOUND', String(refused));
          assert.equal(refused.details?.reason, 'erased');
          assert.equal(await store.getSession('old'), null);
          // the sessions kept are not tombstoned: their ids open them as before
          assert.equal((await store.createSession({ id: 'revived' })).created, false);
        }),
      );
    });

    describe('settings', () => {
      it(
        'getOrCreateSetting creates once and returns the same value after (and across a reopen)',
        withStore(async (context) => {
          let calls = 0;
          const create = (): string => {
            calls += 1;
            return `secret-${calls}-🔑`;
          };
          const first = await context.store.getOrCreateSetting('token_secret', create);
          const second = await context.store.getOrCreateSetting('token_secret', create);
          assert.equal(first, 'secret-1-🔑');
          assert.equal(second, first);
          assert.equal(calls, 1);
          assert.equal(await context.store.getOrCreateSetting('other', () => 'other-value'), 'other-value');

          if (context.reopen !== undefined) {
            const reopened = await context.reopen();
            assert.equal(await reopened.getOrCreateSetting('token_secret', create), first);
            assert.equal(calls, 1);
          }
        }),
      );
    });

    describe('fidelity and durability', () => {
      it(
        'data round-trips exactly: unicode, nested JSON, large text, numbers',
        withStore(async ({ store }) => {
          const id = 'Round_trip-42';
          const name = 'Zoë 王小明 🧑‍💻 مرحبا "quoted" \\ back\nslash\ttab \u2028 sep';
          const longText = '长'.repeat(50_000) + '🎉'.repeat(1_000);
          const report = {
            session_id: id,
            candidate: { name },
            interview: { role: 'Backend', level: 'senior', language: 'zh' as const },
            started_at: '2026-11-24T13:00:00.000Z',
            ended_at: null,
            end_reason: 'completed' as const,
            method: 'heuristic' as const,
            overall_score: 3.7,
            recommendation: 'lean_no' as const,
            summary: longText,
            competencies: [{ name: 'system design', score: 4.25, evidence: ['“I sharded it”', ''] }],
            questions: [
              { question: 'Q?', answer: 'A', follow_ups: [{ question: 'Why?', answer: '因为' }], score: null, notes: '' },
            ],
            strengths: [],
            concerns: ['🙈'],
          };
          await store.createSession({
            id,
            candidate: { name },
            settings: { role: 'Ingénieur', language: 'zh', question_count: 7, resume_text: longText },
          });
          await store.updateSession(id, { plan: { ...samplePlan, language: 'zh' }, report });

          const noticeData = {
            nested: { deep: { deeper: [1, -2.5, 1e-7, 2 ** 52, true, false, null, 'x', { empty: {} }, []] } },
            emoji: '👩🏽‍🔬',
            '键 with spaces': 'value',
          };
          const sent = [
            notice(id, name, noticeData),
            transcription(id, longText, 'id-ünïcödé-🙂'),
            aiResponse(id, name, 1, 'id-ünïcödé-🙂'),
          ];
          const { messages } = await store.commit({
            session_id: id,
            messages: sent,
            turn: {
              turn: 1,
              input_id: 'id-ünïcödé-🙂',
              input_kind: 'text',
              candidate_text: longText,
              reply: name,
              follow_up: true,
              cancelled: false,
            },
          });

          assert.deepEqual(
            messages.map(({ seq, ...rest }) => {
              assert.ok(seq >= 1);
              return rest;
            }),
            sent,
          );
          assert.deepEqual(await store.messagesAfter(id, 0), messages);
          assert.deepEqual(await store.messagesForInput(id, 'id-ünïcödé-🙂'), messages.slice(1));
          const session = await store.getSession(id);
          assert.equal(session?.candidate.name, name);
          assert.equal(session?.settings.resume_text, longText);
          assert.deepEqual(session?.report, report);
          assert.deepEqual(session?.plan, { ...samplePlan, language: 'zh' });
          const [turn] = await store.turns(id);
          assert.equal(turn?.candidate_text, longText);
          assert.equal(turn?.reply, name);
          assert.equal(turn?.follow_up, true);
        }),
      );

      it(
        'ping answers while the store is open',
        withStore(async ({ store }) => {
          await store.ping();
          assert.equal(typeof store.kind, 'string');
        }),
      );

      it(
        'reopening keeps sessions, messages, turns and settings, and numbering continues',
        withStore(async (context) => {
          if (context.reopen === undefined) return;
          const { store } = context;
          await store.createSession({ id: 'r', candidate: { name: 'Ada' } });
          await store.commit({
            session_id: 'r',
            messages: [aiResponse('r', 'Welcome', 1)],
            turn: turnOf(1, null),
            patch: { plan: samplePlan, progress: progressAt(0) },
          });
          await store.commit({
            session_id: 'r',
            messages: [transcription('r', 'a', 'c-1'), aiResponse('r', 'b', 2, 'c-1')],
            turn: turnOf(2, 'c-1'),
            patch: { progress: progressAt(1) },
          });
          await store.getOrCreateSetting('k', () => 'v');
          const session = await store.getSession('r');
          const messages = await store.messagesAfter('r', 0);
          const turns = await store.turns('r');

          const reopened = await context.reopen();
          assert.deepEqual(await reopened.getSession('r'), session);
          assert.deepEqual(await reopened.messagesAfter('r', 0), messages);
          assert.deepEqual(await reopened.messagesForInput('r', 'c-1'), messages.slice(1));
          assert.deepEqual(await reopened.turns('r'), turns);
          assert.equal(await reopened.getOrCreateSetting('k', () => 'other'), 'v');
          assert.equal(await reopened.countSessions(), 1);

          const next = await reopened.commit({
            session_id: 'r',
            messages: [aiResponse('r', 'c', 3, 'c-2')],
            turn: turnOf(3, 'c-2'),
          });
          assert.deepEqual(seqsOf(next.messages), [4]);
          assert.equal(next.session.turn_count, 3);
        }),
      );
    });
  });
}
