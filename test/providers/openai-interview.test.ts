import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { interviewReportSchema } from '@viva/protocol/interview-schemas.js';
import type { ServerMessage } from '@viva/protocol/server-messages.js';
import { FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { interviewModel, roleOf } from '../helpers/fake-interview-model.js';
import { startInProcess, type RunningViva } from '../helpers/in-process-viva.js';
import { makeSpeech, missingSpeechTools } from '../helpers/speech-fixtures.js';
import { TestClient } from '../helpers/test-client.js';

const ANSWERS = [
  { text: 'At my last company I led the move of our billing service to Postgres with zero downtime.', format: 'wav' as const },
  { text: 'I designed a queue based pipeline that cut our nightly batch from six hours to forty minutes.', format: 'mp3' as const },
  { text: 'My colleague and I disagreed on the schema, so we wrote both designs down and measured them.', format: 'webm' as const },
];

function deltasOfTurn(client: TestClient, turn: number): string[] {
  return client.messages.flatMap((message) => (message.type === 'ai_response_delta' && message.data.turn === turn ? [message.data.delta] : []));
}

describe('an interview with an OpenAI-compatible model and speech recognizer', () => {
  let fake: FakeOpenAiServer;
  let viva: RunningViva;
  let skipReason: string | undefined;
  const audio = new Map<string, Buffer>();

  before(async () => {
    for (const answer of ANSWERS) skipReason ??= await missingSpeechTools(answer.format);
    fake = await FakeOpenAiServer.start();
    fake.chatHandler = interviewModel();
    // the recognizer answers with what was really said in the clip it received
    fake.transcriptionHandler = (request) => {
      const spoken = [...audio].find(([, bytes]) => bytes.equals(request.bytes))?.[0];
      return { kind: 'transcript', text: spoken ?? 'unexpected audio', durationS: 4.2, language: 'english' };
    };
    if (skipReason === undefined) {
      for (const answer of ANSWERS) audio.set(answer.text, await makeSpeech(answer.text, answer.format));
    }
    viva = await startInProcess({
      LLM_PROVIDER: 'openai',
      LLM_BASE_URL: fake.baseUrl,
      LLM_API_KEY: 'sk-llm-secret',
      LLM_MODEL: 'fake-chat-model',
      STT_PROVIDER: 'openai',
      STT_BASE_URL: fake.baseUrl,
      STT_API_KEY: 'sk-stt-secret',
    });
  });
  after(async () => {
    await viva?.stop();
    await fake?.close();
  });

  it('plans, streams replies, transcribes spoken answers and writes a report from the candidate’s words', async (t) => {
    if (skipReason !== undefined) return t.skip(skipReason);
    const { client, connected } = await TestClient.connect(`${viva.wsUrl}/api/v1/ws`);
    const sessionId = connected.data.session_id;
    client.send({ type: 'connect', data: { candidate: { name: 'Ada' }, interview: { role: 'Backend Engineer', level: 'senior', question_count: 3 } } });
    const configured = await client.next('connected');
    assert.equal(configured.data.interview.total_questions, 3);

    client.send({ type: 'text_input', id: 'hello', data: { text: 'Hello!' } });
    const greeting = await client.next('ai_response', (message) => message.reply_to === 'hello');
    assert.match(greeting.data.ai_response, /^Hello and welcome to the interview\. Model question 1:/);
    const greetingDeltas = deltasOfTurn(client, 1);
    assert.ok(greetingDeltas.length > 3, 'the reply streamed in several pieces');
    assert.equal(greetingDeltas.join(''), greeting.data.ai_response);

    let last = greeting;
    for (const [index, answer] of ANSWERS.entries()) {
      const bytes = audio.get(answer.text);
      assert.ok(bytes);
      const id = `answer-${index}`;
      client.send({ type: 'audio_input', id, data: { audio_data: bytes.toString('base64'), audio_format: answer.format, language: 'en-US' } });
      const transcription = await client.next('transcription', (message) => message.reply_to === id);
      assert.equal(transcription.data.text, answer.text);
      assert.equal(transcription.data.duration_ms, 4200);
      assert.equal(transcription.data.language, 'en');
      last = await client.next('ai_response', (message) => message.reply_to === id);
      const turn = last.data.turn;
      const deltas = deltasOfTurn(client, turn);
      assert.equal(deltas.join(''), last.data.ai_response, `turn ${turn}: the deltas, in order, make the reply`);
      assert.doesNotMatch(last.data.ai_response, /\[\[/, 'the decision line never reaches the candidate');
      // delta messages of a turn come before its ai_response and after its transcription
      const positions = client.messages.flatMap((message, position) => (message.type === 'ai_response_delta' && message.data.turn === turn ? [position] : []));
      assert.ok(positions.every((position) => position > client.messages.indexOf(transcription) && position < client.messages.indexOf(last)));
    }
    assert.equal(last.data.interview.state, 'completed');
    assert.match(last.data.ai_response, /Goodbye/);
    const ended = await client.next('interview_ended');
    assert.equal(ended.data.reason, 'completed');

    // the recognizer received the real recordings, with the right names, model and language
    assert.equal(fake.transcriptionRequests.length, ANSWERS.length);
    for (const [index, answer] of ANSWERS.entries()) {
      const request = fake.transcriptionRequests[index];
      assert.ok(request);
      assert.equal(request.fileName, `audio.${answer.format}`);
      assert.ok(request.bytes.equals(audio.get(answer.text) ?? Buffer.alloc(0)), 'the exact bytes were uploaded');
      assert.equal(request.model, 'whisper-1');
      assert.equal(request.language, 'en');
      assert.equal(request.responseFormat, 'verbose_json');
      assert.equal(request.headers.authorization, 'Bearer sk-stt-secret');
    }

    // the model planned the interview and wrote every reply; the key went only to the endpoint
    const roles = fake.chatRequests.map(roleOf);
    assert.equal(roles.filter((role) => role === 'planner').length, 1);
    assert.equal(roles.filter((role) => role === 'interviewer').length, 4);
    assert.ok(fake.chatRequests.every((request) => request.headers.authorization === 'Bearer sk-llm-secret'));
    assert.ok(fake.chatRequests.every((request) => request.body.model === 'fake-chat-model'));
    const session = (await (await fetch(`${viva.baseUrl}/api/v1/interview/${sessionId}`)).json()) as { plan: { created_by: string } };
    assert.equal(session.plan.created_by, 'llm');

    const report = interviewReportSchema.parse(
      await (await fetch(`${viva.baseUrl}${ended.data.report_url}`, { headers: { authorization: `Bearer ${viva.adminToken}` } })).json(),
    );
    assert.equal(report.method, 'llm');
    assert.equal(report.recommendation, 'yes');
    assert.equal(report.questions.length, 3);
    const evidence = report.competencies.flatMap((competency) => competency.evidence);
    assert.ok(evidence.length >= 3, 'quotes of the candidate were kept');
    for (const quote of evidence) {
      assert.ok(ANSWERS.some((answer) => answer.text.includes(quote)), `"${quote}" is the candidate's own words`);
    }
    assert.ok(!evidence.some((quote) => quote.includes('invented the internet')), 'a quote the candidate never said is dropped');

    const metrics = await (await fetch(`${viva.baseUrl}/metrics`)).text();
    assert.match(metrics, /viva_provider_request_duration_seconds_count\{provider="openai",model="fake-chat-model",operation="reply",outcome="ok"\} 4/);
    assert.match(metrics, /viva_provider_first_token_seconds_count\{provider="openai",model="fake-chat-model",operation="reply"\} 4/);
    assert.match(metrics, /viva_provider_tokens_total\{provider="openai",model="fake-chat-model",direction="out"\} \d+/);
    assert.match(metrics, /viva_provider_request_duration_seconds_count\{provider="openai",model="whisper-1",operation="transcribe",outcome="ok"\} 3/);
    assert.doesNotMatch(metrics, /sk-llm-secret|sk-stt-secret/);
    client.close();
  });

  it('streams the model’s reply over HTTP as server-sent events', async () => {
    const started = await fetch(`${viva.baseUrl}/api/v1/interview/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ candidate: { name: 'Grace' }, interview: { role: 'Data Engineer', question_count: 2 } }),
    });
    assert.equal(started.status, 201);
    const start = (await started.json()) as { session_id: string; session_token: string; ai_response: string };
    assert.match(start.ai_response, /Model question 1/);

    const response = await fetch(`${viva.baseUrl}/api/v1/interview/${start.session_id}/process-unified`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ text: 'I maintain our Airflow pipelines and I cut their cost by a third last year.', id: 'sse-1' }),
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const events = (await response.text())
      .split('\n\n')
      .filter((block) => block.trim() !== '')
      .map((block) => {
        const name = /^event: (.+)$/m.exec(block)?.[1];
        const data = JSON.parse(/^data: (.+)$/m.exec(block)?.[1] ?? 'null') as ServerMessage;
        assert.equal(data.type, name);
        return data;
      });
    const types = events.map((event) => event.type);
    assert.equal(types[0], 'status');
    assert.equal(types.at(-1), 'ai_response');
    const deltas = events.flatMap((event) => (event.type === 'ai_response_delta' ? [event.data.delta] : []));
    assert.ok(deltas.length > 3);
    const final = events.at(-1);
    assert.ok(final?.type === 'ai_response');
    assert.equal(deltas.join(''), final.data.ai_response);
    assert.match(final.data.ai_response, /Model question 2/);
  });
});
