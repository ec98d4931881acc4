import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveSettings } from '../../interview/interview-settings.js';
import type { GenerateResult, LanguageModel, ModelCallOptions } from '../language-model.js';
import { ModelPlanner, stageSlots } from './model-planner.js';
import { PromptLibrary } from './prompt-library.js';

/** A model that answers every plan request with a valid plan and keeps the prompts it was sent. */
class RecordingPlannerModel implements LanguageModel {
  readonly provider = 'recording';
  readonly modelId = 'recording-planner';
  readonly prompts: string[] = [];

  generate(options: ModelCallOptions): Promise<GenerateResult> {
    const text = options.messages.map((message) => message.content).join('\n');
    this.prompts.push(text);
    const count = Number(/Number of main questions: (\d+)|主问题数量：(\d+)/.exec(text)?.slice(1).find((value) => value !== undefined));
    const questions = Array.from({ length: count }, (_value, index) => ({ text: `Question ${index + 1}?`, competency: `competency ${index % 2}` }));
    return Promise.resolve({
      text: JSON.stringify({ questions }),
      finishReason: 'stop',
      usage: { inputTokens: 0, outputTokens: 0, estimated: true },
      timing: { firstTokenMs: undefined, totalMs: 0, attempts: 1 },
    });
  }

  // eslint-disable-next-line require-yield
  async *stream(): AsyncIterable<never> {
    throw new Error('the planner does not stream');
  }
}

describe('ModelPlanner', () => {
  it("puts a template's focus into the planner prompt (en and zh), asks for two questions per competency, and plans a focus once per job", async () => {
    for (const language of ['en', 'zh'] as const) {
      const model = new RecordingPlannerModel();
      const planner = new ModelPlanner(model, PromptLibrary.load(), { contextTokens: 8000, budgetMs: 5000 });
      const settings = resolveSettings({ role: 'Backend Engineer', language, focus: ['system design', 'collaboration'] });
      const plan = await planner.plan({ session_id: 'a', candidate: {}, settings });
      assert.equal(plan.questions.length, stageSlots(6).length);
      assert.match(model.prompts[0] ?? '', /system design, collaboration/);
      assert.match(model.prompts[0] ?? '', language === 'en' ? /at least two of those questions/ : /至少对应其中两个问题/);
      await planner.plan({ session_id: 'b', candidate: {}, settings });
      assert.equal(model.prompts.length, 1, 'a second candidate for the same job and focus reuses the plan');
      await planner.plan({ session_id: 'c', candidate: {}, settings: resolveSettings({ role: 'Backend Engineer', language }) });
      assert.equal(model.prompts.length, 2, 'a different focus is a different job');
      assert.doesNotMatch(model.prompts[1] ?? '', /system design, collaboration/);
    }
  });
});
