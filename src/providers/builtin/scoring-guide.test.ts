import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AnswerRecord, InterviewSnapshot, Language } from '../../interview/interview-types.js';
import { createSnapshot } from '../../../test/helpers/interview-simulation.js';
import { scoreQuestion } from './answer-scoring.js';
import { evaluateInterview } from './builtin-evaluator.js';
import { buildInterviewPlan } from './plan-builder.js';
import { ALL_BANKS, bankForTrack } from './question-bank-registry.js';
import { bankQuestionPoints, bankScoringGuide, guideVerdict } from './scoring-guide.js';
import { buildSkillQuestion } from './skill-question.js';

const LANGUAGES = ['en', 'zh'] as const satisfies readonly Language[];
const CJK = /[\u4e00-\u9fff]/;
const ALL_QUESTIONS = ALL_BANKS.flatMap((bank) => bank.questions);

function line(guide: ReturnType<typeof bankScoringGuide>, score: number): string {
  const found = guide?.find((entry) => entry.score === score);
  assert.ok(found !== undefined, `no line for ${score}`);
  return found.description;
}

function record(id: string, stage: AnswerRecord['stage'], question: string, answer: string): AnswerRecord {
  return { question_id: id, question, stage, competency: 'x', answer, follow_ups: [], skipped: false, unknown: false };
}

describe('scoring guides of the question banks', () => {
  it('every bank question has readable points written in both languages, Chinese in Chinese', () => {
    assert.ok(ALL_QUESTIONS.length > 100);
    for (const question of ALL_QUESTIONS) {
      for (const language of LANGUAGES) {
        const points = question.points?.[language] ?? [];
        assert.ok(points.length >= 1 && points.length <= 5, `${question.id} ${language}: ${points.length} points`);
        for (const point of points) {
          assert.ok(point.trim().length >= 2, `${question.id} ${language}: "${point}"`);
          assert.equal(CJK.test(point), language === 'zh', `${question.id} ${language}: "${point}" is in the other language`);
        }
      }
    }
  });

  it('every scored bank question, in both languages, has a 1, a 3 and a 5 line, and the 3 and 5 lines name its points', () => {
    for (const question of ALL_QUESTIONS) {
      for (const language of LANGUAGES) {
        const guide = bankScoringGuide(question, language);
        if (question.stage === 'candidate_questions') {
          // the candidate's own questions are not scored, so a guide would promise what nobody checks
          assert.equal(guide, undefined, question.id);
          continue;
        }
        assert.deepEqual(guide?.map((entry) => entry.score), [1, 3, 5], `${question.id} ${language}`);
        for (const point of bankQuestionPoints(question, language)) {
          assert.ok(line(guide, 5).includes(point), `${question.id} ${language}: 5 lacks "${point}"`);
          assert.ok(line(guide, 3).includes(point), `${question.id} ${language}: 3 lacks "${point}"`);
        }
        for (const entry of guide ?? []) assert.equal(CJK.test(entry.description), language === 'zh', `${question.id} ${language}: ${entry.description}`);
      }
    }
  });

  it('says "at most 2" for an answer naming none of the points exactly where the scorer caps it', () => {
    const polishedOffTopic =
      'At my last job I organised the team offsite. First I surveyed everyone, then I booked a venue and planned the agenda. As a result attendance rose by 40% and people said it was the best one in years, because we left room for informal time.';
    for (const question of ALL_QUESTIONS.filter((each) => each.stage !== 'candidate_questions' && each.stage !== 'opening')) {
      const promisesCap = line(bankScoringGuide(question, 'en'), 1).includes('at most 2');
      const score = scoreQuestion(record(question.id, question.stage, question.text.en, polishedOffTopic)).score ?? 0;
      if (promisesCap) assert.ok(score <= 2, `${question.id}: an off-topic answer scored ${score}`);
      assert.equal(promisesCap, (question.keywords ?? []).length > 0, question.id);
    }
  });

  it('gives a skill question from a job description a guide that names the skill', () => {
    const skill = buildSkillQuestion(bankForTrack('backend').skills, 'We run Kafka and PostgreSQL.', undefined, 'seed');
    assert.ok(skill !== undefined);
    for (const language of LANGUAGES) {
      const guide = bankScoringGuide(skill, language);
      const named = /Kafka|PostgreSQL/;
      assert.match(line(guide, 5), named);
      assert.match(line(guide, 3), named);
      // a skill question is not in the banks, so the scorer cannot cap it and the guide must not say so
      assert.doesNotMatch(line(guide, 1), language === 'en' ? /at most 2/ : /最多 2 分/);
    }
  });

  it('puts a guide on every scored question of every built-in plan: all tracks, both languages, skill questions too', () => {
    const roles = { en: ['Backend Engineer', 'Frontend Developer', 'Data Scientist', 'Product Manager', 'Account Manager'], zh: ['后端开发', '前端工程师', '数据科学家', '产品经理', '客户经理'] };
    for (const language of LANGUAGES) {
      for (const role of roles[language]) {
        for (const level of ['junior', 'senior', 'lead']) {
          const plan = buildInterviewPlan('s', { role, level, language, question_count: 12, max_minutes: 45, job_description: 'Kafka, React, PyTorch, SQL, Figma' });
          assert.ok(plan.questions.some((question) => question.id.startsWith('skill-')) || role.includes('Account') || role.includes('客户'), `${role}: no skill question`);
          for (const question of plan.questions) {
            if (question.stage === 'candidate_questions') {
              assert.equal(question.scoring_guide, undefined);
              continue;
            }
            assert.deepEqual(question.scoring_guide?.map((entry) => entry.score), [1, 3, 5], `${role} ${level} ${question.id}`);
          }
        }
      }
    }
  });
});

/** A completed interview of the built-in plan in which question `index` got `answers[index]`. */
function completed(language: Language, answers: (question: AnswerRecord) => string, stripGuides = false): InterviewSnapshot {
  const snapshot = createSnapshot(`guide-${language}`, { language, role: language === 'en' ? 'Backend Engineer' : '后端开发' });
  const plan = stripGuides ? { ...snapshot.plan, questions: snapshot.plan.questions.map(({ scoring_guide: _guide, ...question }) => question) } : snapshot.plan;
  const records = plan.questions.map((question) => {
    const base = record(question.id, question.stage, question.text, '');
    return { ...base, competency: question.competency, answer: answers(base) };
  });
  return {
    ...snapshot,
    plan,
    progress: { ...snapshot.progress, state: 'completed', greeted: true, started_at: null, ended_at: null, end_reason: 'completed', current_index: records.length - 1, records },
  };
}

describe('the built-in report and the guide', () => {
  for (const language of LANGUAGES) {
    it(`shows each scored question's guide from the plan and says which level the answer met (${language})`, () => {
      const snapshot = completed(language, (question) => (question.stage === 'candidate_questions' ? '' : language === 'en' ? "I don't know much about that, sorry." : '这个我不太了解，抱歉。'));
      const report = evaluateInterview(snapshot);
      for (const [index, question] of report.questions.entries()) {
        const planned = snapshot.plan.questions[index];
        if (question.score === null) continue;
        assert.deepEqual(question.scoring_guide, planned?.scoring_guide, `question ${index + 1}`);
        const verdict = question.basis?.at(-1) ?? '';
        const level = language === 'en' ? /guide’s (1|3|5)/ : /评分指南的 (1|3|5) 分/;
        assert.match(verdict, level, verdict);
      }
    });
  }

  it('names the points met, and what is missing, in the verdict of a strong technical answer', () => {
    const answer =
      'At my last job our payment endpoint used an idempotency key: the client sends a unique key with every request, we store it in the same transaction as the charge, so a retry returns the stored result. First we tried a lock, then moved to the unique constraint because it survives restarts. As a result duplicate charges dropped to zero.';
    const scored = scoreQuestion(record('be-tech-idempotency', 'technical', 'What does it mean for an API endpoint to be idempotent?', answer));
    assert.equal(scored.score, 5);
    assert.equal(guideVerdict(scored, 'technical', 'en'), 'met the guide’s 5: named idempotency, retry, transaction, unique key; an example of their own; a result; reasoning laid out.');
    const general = scoreQuestion(record('be-tech-idempotency', 'technical', 'idempotent?', 'Idempotent means that calling it twice has the same effect as calling it once. It matters for a payment endpoint, since clients retry whenever a response is lost on the way back, and nobody wants to pay twice for one order. The server has to recognise the retry and answer it the way it answered the first call.'));
    assert.equal(guideVerdict(general, 'technical', 'en'), `met the guide’s 3: named idempotent, retry; no example of their own; no result; reasoning laid out.`);
  });

  it("shows the built-in guide, not a model's, when the heuristics score a model's plan (the fallback)", () => {
    const snapshot = completed('en', () => "I don't know.");
    const modelGuide = [{ score: 1, description: 'Model: nothing.' }, { score: 3, description: 'Model: some.' }, { score: 5, description: 'Model: all.' }];
    const plan = { ...snapshot.plan, created_by: 'llm' as const, questions: snapshot.plan.questions.map((question, index) => ({ ...question, id: `llm-${index + 1}`, scoring_guide: modelGuide })) };
    const records = snapshot.progress.records.map((entry, index) => ({ ...entry, question_id: `llm-${index + 1}` }));
    const report = evaluateInterview({ ...snapshot, plan, progress: { ...snapshot.progress, records } });
    const scored = report.questions.filter((question) => question.score !== null);
    assert.ok(scored.length > 0);
    for (const question of scored) {
      assert.deepEqual(question.scoring_guide?.map((entry) => entry.score), [1, 3, 5]);
      assert.doesNotMatch(JSON.stringify(question.scoring_guide), /Model:/);
    }
  });

  it('derives the guide for a plan stored before guides existed', () => {
    const report = evaluateInterview(completed('zh', () => '我不知道。', true));
    const scored = report.questions.filter((question) => question.score !== null);
    assert.ok(scored.length > 0);
    for (const question of scored) assert.deepEqual(question.scoring_guide?.map((entry) => entry.score), [1, 3, 5]);
  });
});
