import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveSettings } from '../../interview/interview-settings.js';
import type { SessionSettings, StageName } from '../../interview/interview-types.js';
import { BuiltinPlanner } from './builtin-planner.js';
import { buildInterviewPlan } from './plan-builder.js';
import { allocateStages } from '../../interview/rules/stage-allocation.js';

const STAGE_RANK: Readonly<Record<StageName, number>> = {
  opening: 0,
  experience: 1,
  technical: 2,
  behavioral: 3,
  candidate_questions: 4,
  closing: 5,
};

const ROLES = {
  en: ['Backend Engineer', 'Frontend Engineer', 'Data Scientist', 'Product Manager', 'Software Engineer', 'Account Manager'],
  zh: ['后端开发', '前端开发', '算法工程师', '产品经理', '软件工程师', '销售经理'],
} as const;
const LEVELS = ['junior', 'mid', 'senior', 'lead'] as const;

function plan(sessionId: string, input: SessionSettings) {
  return buildInterviewPlan(sessionId, resolveSettings(input));
}

describe('allocateStages', () => {
  it('gives every count a sensible shape and the exact total', () => {
    assert.deepEqual(allocateStages(1), { opening: 0, experience: 0, technical: 1, behavioral: 0, candidate_questions: 0 });
    assert.deepEqual(allocateStages(2), { opening: 0, experience: 1, technical: 1, behavioral: 0, candidate_questions: 0 });
    assert.deepEqual(allocateStages(6), { opening: 1, experience: 1, technical: 2, behavioral: 1, candidate_questions: 1 });
    assert.deepEqual(allocateStages(12), { opening: 1, experience: 2, technical: 5, behavioral: 3, candidate_questions: 1 });
    for (let count = 1; count <= 30; count++) {
      const total = Object.values(allocateStages(count)).reduce((sum, value) => sum + value, 0);
      assert.equal(total, count);
    }
  });
});

describe('buildInterviewPlan', () => {
  it('covers every track, level and language up to 12 questions: exact count, stage order, no repeats', () => {
    for (const language of ['en', 'zh'] as const) {
      for (const role of ROLES[language]) {
        for (const level of LEVELS) {
          for (let count = 1; count <= 12; count++) {
            const result = plan(`s-${role}-${level}-${count}`, { role, level, language, question_count: count });
            const label = `${language} ${role} ${level} ${count}`;
            assert.equal(result.questions.length, count, label);
            assert.equal(new Set(result.questions.map((question) => question.text)).size, count, `${label}: repeated text`);
            assert.equal(new Set(result.questions.map((question) => question.id)).size, count, `${label}: repeated id`);
            const ranks = result.questions.map((question) => STAGE_RANK[question.stage]);
            assert.deepEqual(ranks, [...ranks].sort((left, right) => left - right), `${label}: stages out of order`);
            assert.ok(result.questions.every((question) => question.stage !== 'closing'));
            assert.ok(result.questions.every((question) => !question.text.includes('{')), `${label}: unfilled placeholder`);
            if (language === 'zh') {
              assert.ok(result.questions.every((question) => /[\u4e00-\u9fff]/.test(question.text)), `${label}: not Chinese`);
            }
          }
        }
      }
    }
  });

  it('rests each competency on at least two questions, for every track, level and language from 2 to 12 questions', () => {
    for (const language of ['en', 'zh'] as const) {
      for (const role of ROLES[language]) {
        for (const level of LEVELS) {
          for (let count = 2; count <= 12; count++) {
            const result = plan('coverage', { role, level, language, question_count: count });
            // the warm-up and the candidate's own questions are one question each by design
            const core = result.questions.filter((question) => !['opening', 'candidate_questions'].includes(question.stage));
            const perCompetency = new Map<string, number>();
            for (const question of core) perCompetency.set(question.competency, (perCompetency.get(question.competency) ?? 0) + 1);
            const single = [...perCompetency].filter(([, questions]) => questions < 2).map(([name]) => name);
            assert.deepEqual(single, [], `${language} ${role} ${level} ${count}: competencies on one question`);
          }
        }
      }
    }
  });

  it("covers a template's focus first, two questions each, and ignores names it does not know", () => {
    const settings = { role: 'Backend Engineer', level: 'mid', question_count: 6 } as const;
    const unfocused = plan('focus', settings);
    assert.ok(!unfocused.questions.some((question) => question.competency === 'data modeling'), 'the default plan already asks about it');
    for (const focus of [['data modeling'], ['Data_Modeling', 'no such competency'], ['数据建模']]) {
      const focused = plan('focus', { ...settings, focus });
      const focusQuestions = focused.questions.filter((question) => question.competency === 'data modeling');
      assert.equal(focusQuestions.length >= 2, true, `${focus.join(', ')}: ${focused.questions.map((question) => question.competency).join(', ')}`);
      // within each stage the focus comes before the rest
      for (const question of focusQuestions) {
        const sameStage = focused.questions.filter((other) => other.stage === question.stage);
        assert.equal(sameStage[0]?.competency, 'data modeling', `${question.stage} does not start with the focus`);
      }
      assert.deepEqual(plan('focus-again', { ...settings, focus }), focused, 'same job and focus, same plan');
    }
    const twoFocus = plan('focus', { ...settings, question_count: 10, focus: ['collaboration', 'performance'] });
    for (const competency of ['collaboration', 'performance']) {
      assert.ok(twoFocus.questions.filter((question) => question.competency === competency).length >= 2, competency);
    }
  });

  it('asks one technical question when only one is allowed', () => {
    const result = plan('one', { role: 'Backend Engineer', question_count: 1 });
    assert.deepEqual(
      result.questions.map((question) => question.stage),
      ['technical'],
    );
    assert.match(result.questions[0]?.id ?? '', /^be-tech-/);
  });

  it('gives every candidate for one job the same plan, résumé or not, and differs between jobs', () => {
    const settings = { role: 'Backend Engineer', question_count: 8, job_description: 'Payments on Postgres.' };
    const first = plan('session-a', settings);
    assert.deepEqual(plan('session-b', { ...settings, resume_text: 'Ten years of Kafka and Redis.' }), first);
    const texts = new Set(
      ['Payments on Postgres.', 'A search team.', 'Billing with Go.', 'Maps and routing.', 'Ad serving at scale.'].map((job) =>
        JSON.stringify(plan('session-a', { ...settings, job_description: job }).questions.map((question) => question.id)),
      ),
    );
    assert.ok(texts.size > 1, 'every job got the same plan');
  });

  it('matches the role to a track and draws technical questions from it', () => {
    const cases = [
      ['Backend Engineer', 'backend', 'be-'],
      ['前端开发', 'frontend', 'fe-'],
      ['ML engineer', 'data_ml', 'ml-'],
      ['产品经理', 'product', 'pm-'],
    ] as const;
    for (const [role, track, prefix] of cases) {
      const result = plan('track', { role, language: role.match(/[a-z]/i) ? 'en' : 'zh' });
      assert.equal(result.track, track);
      const technical = result.questions.filter((question) => question.stage === 'technical');
      assert.ok(technical.length > 0 && technical.every((question) => question.id.startsWith(prefix)), role);
    }
  });

  it('gives seniors design or leadership questions and juniors none of the lead-only ones', () => {
    for (let index = 0; index < 20; index++) {
      const senior = plan(`senior-${index}`, { role: 'Backend Engineer', level: 'Senior', job_description: `Team ${index}` });
      assert.ok(
        senior.questions.some((question) => ['system design', 'architecture', 'distributed systems', 'leadership'].includes(question.competency)),
        `senior plan ${index} has no design or leadership question`,
      );
      const junior = plan(`junior-${index}`, { role: 'Backend Engineer', level: 'junior', job_description: `Team ${index}` });
      assert.ok(!junior.questions.some((question) => question.competency === 'leadership'), `junior plan ${index}`);
    }
  });

  it('uses a skill named in the job description, without copying it', () => {
    const jobDescription = 'We build payment services on Kafka. You will own idempotent APIs.';
    const resumeText = 'Five years of backend work; built Kafka consumers for order events.';
    const result = plan('skills', { role: 'Backend Engineer', job_description: jobDescription, resume_text: resumeText });
    const experience = result.questions.find((question) => question.stage === 'experience');
    assert.equal(experience?.id, 'skill-kafka');
    assert.match(experience?.text ?? '', /Kafka/);
    assert.ok(!result.questions.some((question) => question.text.includes(jobDescription) || question.text.includes(resumeText)));
    // a job description keyword ("idempotent", or "Kafka" for the queue question) moves a technical question to the
    // front; with fewer than ten questions the skill's competency takes the slots, ten leave room for both
    const longer = plan('skills', { role: 'Backend Engineer', job_description: jobDescription, question_count: 10 });
    assert.equal(longer.questions.find((question) => question.stage === 'experience')?.id, 'skill-kafka');
    assert.ok(['be-tech-idempotency', 'be-tech-queue'].includes(longer.questions.find((question) => question.stage === 'technical')?.id ?? ''));
  });

  it('puts Latin terms into Chinese questions with spaces', () => {
    const result = plan('zh-skill', { role: 'Backend Engineer', language: 'zh', job_description: '熟悉Kafka' });
    const experience = result.questions.find((question) => question.stage === 'experience');
    assert.match(experience?.text ?? '', /提到了 Kafka。|用到 Kafka。/);
  });
});

describe('BuiltinPlanner', () => {
  it('plans through the port with provider builtin', async () => {
    const planner = new BuiltinPlanner();
    assert.equal(planner.provider, 'builtin');
    const result = await planner.plan({ session_id: 'port', candidate: {}, settings: resolveSettings({ language: 'zh' }) });
    assert.equal(result.created_by, 'builtin');
    assert.equal(result.language, 'zh');
    assert.equal(result.questions.length, 6);
  });
});
