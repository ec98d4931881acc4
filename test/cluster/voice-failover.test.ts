import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeOpenAiServer } from '../helpers/fake-openai-server.js';
import { interviewModel } from '../helpers/fake-interview-model.js';
import { missingSpeechTools } from '../helpers/speech-fixtures.js';
import { silencePcm, speechPcm, streamAudio } from '../helpers/voice-audio.js';
import { clusterSkipReason, connectTo, databaseClient, startCluster, type TestCluster } from './cluster-harness.js';

const skip = (await clusterSkipReason()) || (await missingSpeechTools('wav')) || false;
const SPOKEN = 'I moved the nightly reports onto a queue with retries.';

describe('a node killed after speech_stopped (cluster, PostgreSQL)', { skip }, () => {
  let cluster: TestCluster;
  let fake: FakeOpenAiServer;

  before(async () => {
    fake = await FakeOpenAiServer.start();
    fake.chatHandler = interviewModel();
    cluster = await startCluster(2, {
      env: fake.providerEnvironment,
    });
  });
  after(async () => {
    await cluster?.stop();
    await fake?.close();
  });

  it('the node the client reconnects to transcribes and answers the held utterance, once', async () => {
    // the transcription is slow: the node holding the connection dies while it runs
    fake.transcriptionHandler = () => ({ kind: 'transcript', text: SPOKEN, delayMs: 5_000 });
    const { client } = await connectTo(cluster.node(0), 'voice-failover');
    client.send({ type: 'voice_start', data: {} });
    await client.next('voice_started');
    await streamAudio(client, Buffer.concat([await speechPcm(SPOKEN), silencePcm(1000)]));
    await client.next('speech_stopped');
    await cluster.node(0).kill();
    await client.closed;

    fake.transcriptionHandler = () => ({ kind: 'transcript', text: SPOKEN });
    const { client: resumed } = await connectTo(cluster.node(1), 'voice-failover', 0);
    const transcription = await resumed.next('transcription', () => true, 20_000);
    assert.equal(transcription.data.text, SPOKEN);
    const reply = await resumed.next('ai_response', () => true, 20_000);
    assert.equal(reply.data.turn, 1);
    resumed.close();

    const database = await databaseClient(cluster.database);
    try {
      const messages = await database.query<{ type: string }>('SELECT type FROM messages WHERE session_id = $1 ORDER BY seq', ['voice-failover']);
      assert.deepEqual(messages.rows.map((row) => row.type), ['transcription', 'ai_response'], 'once each, in order');
      const pending = await database.query('SELECT id FROM pending_inputs WHERE session_id = $1', ['voice-failover']);
      assert.equal(pending.rowCount, 0, 'the held audio is gone once its turn is stored');
    } finally {
      await database.end();
    }
  });
});
