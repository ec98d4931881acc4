/**
 * The persona suite (issue 12): scripted candidates through a whole interview, in both engines, judged
 * as a hiring manager would judge the result. For every persona: the recommendation lands in its band,
 * nothing that was not an answer is quoted as evidence or praised, the report does not contradict itself,
 * and every score comes with its question's scoring guide; the strong candidate scores above every weak
 * persona on every competency they share; and candidates for one job get the same plan.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NON_ANSWER_INTENTS, detectIntent } from '../../src/interview/rules/candidate-intent.js';
import { lowerOf, recommendationFor } from '../../src/interview/rules/recommendation-check.js';
import { FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startInProcess, type RunningViva } from '../helpers/in-process-viva.js';
import { personaModel } from './persona-model.js';
import { personaTable, runPersona, type PersonaRun } from './persona-runner.js';
import { PERSONAS, type Persona } from './persona-scripts.js';

const PRAISE = /\b(great,|excellent|thorough|really clear|fair thing|impressive|well explained|exactly what|makes the impact clear|really helps|appreciate how)\b|很好|很清楚|很具体|很有说服力|很到位|印象挺深/i;
/** Personas none of whose messages is an answer worth quoting. */
const NOTHING_TO_QUOTE = new Set(['recycled-buzzword', 'off-topic', 'hostile', 'injection', 'account-manager-backend-stories']);

/** Messages that are not answers: for the built-in engine also off-topic talk (a model judges that itself). */
function isNonAnswer(persona: Persona, text: string, engine: string): boolean {
  return NON_ANSWER_INTENTS.has(detectIntent(text)) || persona.name === 'hostile' || (engine === 'builtin' && persona.name === 'off-topic');
}

function checkRun(run: PersonaRun, engine: string): void {
  const { persona, report } = run;
  const label = `${engine} · ${persona.name}`;
  assert.ok(persona.band.includes(report.recommendation), `${label}: ${report.recommendation} (${report.overall_score}) is outside ${persona.band.join('/')}`);

  // nothing that was not an answer is evidence, and nothing is quoted for the personas that gave no answer worth it
  const nonAnswers = run.exchanges.filter((exchange) => exchange.interjection || isNonAnswer(persona, exchange.sent, engine)).map((exchange) => exchange.sent);
  for (const competency of report.competencies) {
    for (const quote of competency.evidence) {
      assert.ok(!nonAnswers.some((text) => text.includes(quote)), `${label}: "${quote}" was quoted from a non-answer`);
    }
    if (NOTHING_TO_QUOTE.has(persona.name) && engine === 'builtin') assert.deepEqual(competency.evidence, [], `${label}: evidence quoted`);
  }
  // no praise of a non-answer (nor, in the built-in engine, of a recycled or off-topic one)
  for (const exchange of run.exchanges) {
    const judged = exchange.interjection || NON_ANSWER_INTENTS.has(detectIntent(exchange.sent)) || (engine === 'builtin' && NOTHING_TO_QUOTE.has(persona.name));
    if (judged) assert.doesNotMatch(exchange.reply, PRAISE, `${label}: praised "${exchange.sent.slice(0, 60)}" with "${exchange.reply}"`);
  }
  // non-answers are never recorded as answers
  for (const question of report.questions) {
    for (const text of [question.answer, ...question.follow_ups.map((followUp) => followUp.answer)]) {
      assert.ok(!NON_ANSWER_INTENTS.has(detectIntent(text)) || text === '', `${label}: "${text.slice(0, 60)}" recorded as an answer`);
    }
  }
  // no contradictions: the recommendation is never above what the score supports, no "strongest and
  // weakest" at the same score, and no strength that the concerns deny
  assert.equal(lowerOf(report.recommendation, recommendationFor(report.overall_score)), report.recommendation, `${label}: recommendation above the score`);
  const both = /strongest area was .+\((\d(?:\.\d)?)\/5\) and the weakest .+\((\d(?:\.\d)?)\/5\)/.exec(report.summary);
  if (both !== null) assert.notEqual(both[1], both[2], `${label}: ${report.summary}`);
  // every score can be checked against the guide it was given
  for (const question of report.questions) {
    if (question.score !== null) assert.deepEqual(question.scoring_guide?.map((entry) => entry.score), [1, 3, 5], `${label}: a score without its guide`);
  }
  if (engine === 'builtin') {
    // a strength stands on answers that earned credit: a recycled or off-topic run has none
    if (NOTHING_TO_QUOTE.has(persona.name)) assert.deepEqual(report.strengths.filter((strength) => !/asked about the role|询问/i.test(strength)), [], `${label}: strengths ${report.strengths.join(' | ')}`);
    assert.notEqual(report.recommendation, 'strong_yes', `${label}: the built-in engine asks for a human review`);
    for (const question of report.questions) if (question.score !== null) assert.ok((question.basis ?? []).length > 0, `${label}: a score without its basis`);
  }
}

for (const engine of ['builtin', 'model'] as const) {
  describe(`personas through the ${engine} engine`, () => {
    let fake: FakeOpenAiServer;
    let viva: RunningViva;
    const runs: PersonaRun[] = [];

    before(async () => {
      fake = await FakeOpenAiServer.start();
      viva = await startInProcess(engine === 'model' ? { LLM_PROVIDER: 'openai', LLM_BASE_URL: fake.baseUrl, LLM_API_KEY: 'sk-test', LLM_MODEL: 'persona-model' } : {});
      for (const persona of PERSONAS) {
        fake.chatHandler = personaModel(persona);
        runs.push(await runPersona(viva, persona, `persona_${engine}_${persona.name.replace(/[^a-z0-9]/g, '_')}`));
      }
      if (process.env.VIVA_PERSONA_TABLE === '1') console.log(personaTable(engine, runs));
    });
    after(async () => {
      await viva?.stop();
      await fake?.close();
    });

    for (const persona of PERSONAS) {
      it(`${persona.name}: recommendation band, no evidence or praise from non-answers, no contradictions`, () => {
        const run = runs.find((candidate) => candidate.persona === persona);
        assert.ok(run);
        checkRun(run, engine);
      });
    }

    it('puts the strong candidate above every weak persona on every competency they share', () => {
      const strong = runs.find((run) => run.persona.name === 'strong');
      assert.ok(strong);
      const weak = runs.filter((run) => run.persona.band.includes('no') && run.persona.role === strong.persona.role);
      for (const competency of strong.report.competencies) {
        for (const run of weak) {
          const theirs = run.report.competencies.find((candidate) => candidate.name === competency.name);
          if (theirs !== undefined) assert.ok(competency.score > theirs.score, `${competency.name}: strong ${competency.score}, ${run.persona.name} ${theirs.score}`);
        }
      }
      assert.ok(weak.every((run) => run.report.overall_score < strong.report.overall_score));
    });

    it('gives two candidates for one job the same plan: same questions, same order, same competencies', () => {
      const sameJob = runs.filter((run) => run.persona.role === 'Backend Engineer' && run.persona.level === 'senior' && run.persona.language === 'en');
      assert.ok(sameJob.length >= 2);
      for (const run of sameJob) assert.deepEqual(run.plan.questions, sameJob[0]?.plan.questions, run.persona.name);
      // and each competency of the assessed stages rests on at least two of those questions (in model mode the
      // scripted model names its own competencies; model-planner.test.ts checks what its prompt asks for)
      if (engine === 'model') return;
      const perCompetency = new Map<string, number>();
      for (const question of sameJob[0]?.plan.questions ?? []) {
        if (!['opening', 'candidate_questions'].includes((question as { stage?: string }).stage ?? '')) {
          perCompetency.set(question.competency, (perCompetency.get(question.competency) ?? 0) + 1);
        }
      }
      assert.ok(perCompetency.size > 0);
      for (const [competency, questions] of perCompetency) assert.ok(questions >= 2, `${competency} rests on ${questions} question`);
      // every candidate who answered every question has the same competency list in their report
      const full = sameJob.filter((run) => run.report.questions.every((question) => question.score !== null || question.stage === 'candidate_questions'));
      for (const run of full) assert.deepEqual(run.report.competencies.map((competency) => competency.name), full[0]?.report.competencies.map((competency) => competency.name), run.persona.name);
    });

    it('probes the strong senior at most once per question, and only a strong answer', () => {
      for (const run of runs) {
        for (const question of run.report.questions) {
          const probes = question.follow_ups.filter((followUp) => followUp.kind === 'probe');
          assert.ok(probes.length <= 1, `${run.persona.name}: ${probes.length} probes on one question`);
          if (engine === 'builtin' && probes.length > 0) assert.ok((question.score ?? 0) >= 3, `${run.persona.name}: probed a weak answer`);
        }
      }
      if (engine === 'builtin') {
        const strong = runs.find((run) => run.persona.name === 'strong');
        assert.ok(strong?.report.questions.some((question) => question.follow_ups.some((followUp) => followUp.kind === 'probe')), 'the strong senior was never probed');
      }
    });
  });
}
