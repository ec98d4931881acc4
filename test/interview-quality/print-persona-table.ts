/** Prints the persona table for both engines: `npx tsx test/interview-quality/print-persona-table.ts`. */
import { FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { startInProcess } from '../helpers/in-process-viva.js';
import { personaModel } from './persona-model.js';
import { personaTable, runPersona, type PersonaRun } from './persona-runner.js';
import { PERSONAS } from './persona-scripts.js';

const fake = await FakeOpenAiServer.start();
const engines: { name: string; env: Record<string, string> }[] = [
  { name: 'built-in engine', env: {} },
  { name: 'model engine (scripted local model)', env: { LLM_PROVIDER: 'openai', LLM_BASE_URL: fake.baseUrl, LLM_API_KEY: 'sk-test', LLM_MODEL: 'persona-model' } },
];
for (const engine of engines) {
  const viva = await startInProcess(engine.env);
  const runs: PersonaRun[] = [];
  for (const persona of PERSONAS) {
    fake.chatHandler = personaModel(persona);
    runs.push(await runPersona(viva, persona, `persona_${persona.name.replace(/[^a-z0-9]/g, '_')}`));
  }
  console.log(personaTable(engine.name, runs));
  if (process.argv.includes('--verbose')) {
    for (const run of runs) {
      console.log(`\n## ${run.persona.name}\n${run.greeting}`);
      for (const exchange of run.exchanges) console.log(`> ${exchange.sent}\n${exchange.reply}`);
      console.log(JSON.stringify(run.report, null, 1));
    }
  }
  await viva.stop();
}
await fake.close();
