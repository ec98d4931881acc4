import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initialProgress, type AnswerRecord, type InterviewPlan, type InterviewProgress } from '../interview-types.js';
import { nextQuestionIndex, questionsAsked } from './turn-rules.js';

const plan: InterviewPlan = {
  track: 'backend',
  role: 'Backend engineer',
  level: 'mid',
  language: 'en',
  created_by: 'builtin',
  // a plan may repeat a question (a model planner can): the repeat is never asked twice
  questions: ['Tell me about yourself.', 'Design a queue.', 'Design a queue.', 'A conflict you solved?'].map((text, index) => ({
    id: `q${index}`,
    stage: 'technical',
    text,
    competency: 'design',
  })),
};

function answered(question: string, followUps = 0): AnswerRecord {
  return {
    question_id: question,
    question,
    stage: 'technical',
    competency: 'design',
    answer: 'An answer.',
    follow_ups: Array.from({ length: followUps }, (_, index) => ({ question: `Follow-up ${index}?`, answer: 'More.' })),
    skipped: false,
    unknown: false,
  };
}

function progressWith(currentIndex: number, records: AnswerRecord[], pendingFollowUp: string | null = null): InterviewProgress {
  return { ...initialProgress(), state: 'in_progress', current_index: currentIndex, records, pending_follow_up: pendingFollowUp };
}

test('nextQuestionIndex: the first plan question after the current one that was never asked', () => {
  assert.equal(nextQuestionIndex(plan, progressWith(-1, [])), 0);
  assert.equal(nextQuestionIndex(plan, progressWith(0, [answered('Tell me about yourself.')])), 1);
  // the repeat of a question already asked is passed over
  assert.equal(nextQuestionIndex(plan, progressWith(1, [answered('Tell me about yourself.'), answered('Design a queue.')])), 3);
  assert.equal(nextQuestionIndex(plan, progressWith(3, [answered('Tell me about yourself.'), answered('Design a queue.'), answered('A conflict you solved?')])), undefined);
});

test('questionsAsked: main questions, their follow-ups, and a follow-up awaiting its answer', () => {
  assert.equal(questionsAsked(progressWith(-1, [])), 0);
  assert.equal(questionsAsked(progressWith(1, [answered('Tell me about yourself.', 2), answered('Design a queue.')])), 4);
  assert.equal(questionsAsked(progressWith(1, [answered('Tell me about yourself.', 1), answered('Design a queue.', 1)], 'Why?')), 5);
});
