import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnswerRecord, InterviewPlan, InterviewProgress } from '../src/interview/interview-types.js';
import type { SessionRecord } from '../src/interview/session-store.js';
import { SqliteSessionStore } from '../src/storage/sqlite/sqlite-session-store.js';
import { buildInterviewPlan } from '../src/providers/builtin/plan-builder.js';
import { resolveSettings } from '../src/interview/interview-settings.js';

/**
 * `npx tsx bench/store-turn-cost.ts`: the SQLite store alone, in this process, so the figure barely moves
 * with other load on the machine. 100 sessions take 60 turns each (30 questions, each with a follow-up),
 * all sessions' commits of one turn in one group commit as under load; it prints the store's CPU per
 * commit over turns 3-8 and over turns 55-60. Before answer records had rows of their own, the late
 * commits cost about three times the early ones. STORE_SESSIONS=5 shows what small batches cost (a busy
 * server's loop turns often, with a handful of turns each: see group-commit.ts).
 */
const SESSIONS = Number(process.env.STORE_SESSIONS ?? 100);
const TURNS = 60;
const PHASE = 6;
const ANSWER =
  'I led the migration of our payments service to an event-driven design; the hardest part was keeping exactly-once semantics while we ran both paths.';
const REPLY = 'Thank you, that is a clear example. What would you do differently if you had to do it again? Take your time.';

// the built-in plan of a 30-question interview, scoring guides and all (about 25 KB), as a real session holds
const plan: InterviewPlan = buildInterviewPlan('store-bench', resolveSettings({ question_count: 30 }));

/** As the engines do (copyProgress): a private copy of the newest record, which a turn changes; the rest shared. */
function copyProgress(previous: InterviewProgress): InterviewProgress {
  const records = previous.records.slice();
  const last = records.at(-1);
  if (last !== undefined) records[records.length - 1] = { ...last, follow_ups: last.follow_ups.map((followUp) => ({ ...followUp })) };
  return { ...previous, records };
}

function nextProgress(previous: InterviewProgress, turn: number): InterviewProgress {
  const progress = copyProgress(previous);
  if (turn % 2 === 1) {
    const record: AnswerRecord = {
      question_id: `q${progress.records.length}`,
      question: 'How would you design this part of a system, and why?',
      stage: 'technical',
      competency: 'system design',
      answer: ANSWER,
      follow_ups: [],
      skipped: false,
      unknown: false,
    };
    progress.records.push(record);
    progress.current_index += 1;
  } else {
    progress.records.at(-1)?.follow_ups.push({ question: 'Could you give an example?', answer: ANSWER });
  }
  return progress;
}

async function interviews(store: SqliteSessionStore, prefix: string): Promise<{ early: number; late: number; all: number }> {
    const sessions = new Map<string, SessionRecord>();
    const ids = Array.from({ length: SESSIONS }, (_, index) => `${prefix}${index}`);
    for (const id of ids) {
      await store.createSession({ id });
      const progress: InterviewProgress = { ...(await store.getSession(id))!.progress, state: 'in_progress', greeted: true };
      sessions.set(id, await store.updateSession(id, { plan, progress }));
    }
    const step = (turn: number) =>
      Promise.all(
        ids.map(async (id) => {
          const session = sessions.get(id);
          if (session === undefined) throw new Error(`no session ${id}`);
          const progress = nextProgress(session.progress, turn);
          const inputId = `${id}-${turn}`;
          const data = {
            ai_response: REPLY,
            turn,
            interview: { state: 'in_progress' as const, stage: 'technical' as const, question_number: progress.records.length, total_questions: 30 },
            follow_up: turn % 2 === 1,
            latency_ms: { ai: 0, total: 1 },
          };
          const committed = await store.commit({
            session_id: id,
            messages: [{ type: 'ai_response', session_id: id, timestamp: new Date().toISOString(), reply_to: inputId, data }],
            patch: { progress },
            turn: { turn, input_id: inputId, input_kind: 'text', candidate_text: ANSWER, reply: REPLY, follow_up: false, cancelled: false },
          });
          sessions.set(id, committed.session);
        }),
      );
    const phase = async (from: number, to: number) => {
      const before = process.cpuUsage();
      for (let turn = from; turn <= to; turn += 1) await step(turn);
      const used = process.cpuUsage(before);
      return (used.user + used.system) / (SESSIONS * (to - from + 1));
    };
    const first = await phase(1, 2);
    const early = await phase(3, 2 + PHASE);
    const middle = await phase(3 + PHASE, TURNS - PHASE);
    const late = await phase(TURNS - PHASE + 1, TURNS);
  const all = (first * 2 + early * PHASE + middle * (TURNS - 2 * PHASE - 2) + late * PHASE) / TURNS;
  return { early, late, all };
}

async function main(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'viva-store-cost-'));
  const store = SqliteSessionStore.open(join(directory, 'viva.db'), { checkpointInBackground: true });
  try {
    // a first round, not measured, warms the code up (otherwise the early turns pay for the JIT)
    await interviews(store, 'warm');
    const { early, late, all } = await interviews(store, 's');
    process.stdout.write(
      `SQLite store, ${SESSIONS} sessions x ${TURNS} turns: CPU per commit, turns 3-${2 + PHASE}: ${early.toFixed(0)} µs;` +
        ` turns ${TURNS - PHASE + 1}-${TURNS}: ${late.toFixed(0)} µs (late/early ${(late / early).toFixed(2)}x); all ${TURNS} turns: ${all.toFixed(0)} µs\n`,
    );
  } finally {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`store-turn-cost failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
