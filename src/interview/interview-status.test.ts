import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeInterview, endProgress } from './interview-status.js';
import { initialProgress } from './interview-types.js';
import type { AnswerRecord, InterviewPlan, InterviewProgress } from './interview-types.js';

const plan: InterviewPlan = {
  track: 'general',
  role: 'Software Engineer',
  level: 'mid',
  language: 'en',
  created_by: 'builtin',
  questions: [
    { id: 'q1', stage: 'opening', text: 'Tell me about yourself.', competency: 'background' },
    { id: 'q2', stage: 'technical', text: 'How do you debug?', competency: 'problem solving' },
    { id: 'q3', stage: 'behavioral', text: 'A disagreement?', competency: 'collaboration' },
  ],
};

function record(id: string, stage: AnswerRecord['stage']): AnswerRecord {
  return { question_id: id, question: id, stage, competency: 'x', answer: '', follow_ups: [], skipped: false, unknown: false };
}

describe('describeInterview', () => {
  it('before the first question: opening, number 0', () => {
    assert.deepEqual(describeInterview(null, initialProgress()), {
      state: 'not_started',
      stage: 'opening',
      question_number: 0,
      total_questions: 0,
    });
    assert.equal(describeInterview(plan, initialProgress()).total_questions, 3);
  });

  it('in progress: the stage and 1-based number of the current question', () => {
    const progress: InterviewProgress = {
      ...initialProgress(),
      state: 'in_progress',
      greeted: true,
      current_index: 1,
      records: [record('q1', 'opening'), record('q2', 'technical')],
    };
    assert.deepEqual(describeInterview(plan, progress), {
      state: 'in_progress',
      stage: 'technical',
      question_number: 2,
      total_questions: 3,
    });
  });

  it('completed: closing, and the number of questions asked', () => {
    const progress: InterviewProgress = {
      ...initialProgress(),
      state: 'completed',
      current_index: 1,
      records: [record('q1', 'opening'), record('q2', 'technical')],
    };
    assert.deepEqual(describeInterview(plan, progress), {
      state: 'completed',
      stage: 'closing',
      question_number: 2,
      total_questions: 3,
    });
  });
});

describe('endProgress', () => {
  it('completes the interview with the reason and time, without touching the input', () => {
    const progress: InterviewProgress = { ...initialProgress(), state: 'in_progress', pending_follow_up: 'More?' };
    const snapshot = structuredClone(progress);
    const ended = endProgress(progress, 'ended_by_candidate', new Date('2026-02-01T10:00:00Z'));
    assert.equal(ended.state, 'completed');
    assert.equal(ended.end_reason, 'ended_by_candidate');
    assert.equal(ended.ended_at, '2026-02-01T10:00:00.000Z');
    assert.equal(ended.pending_follow_up, null);
    assert.deepEqual(progress, snapshot);
  });

  it('keeps the first ending when called again', () => {
    const first = endProgress(initialProgress(), 'ended_by_admin', new Date('2026-02-01T10:00:00Z'));
    const second = endProgress(first, 'ended_by_candidate', new Date('2026-02-01T11:00:00Z'));
    assert.equal(second.end_reason, 'ended_by_admin');
    assert.equal(second.ended_at, '2026-02-01T10:00:00.000Z');
  });
});
