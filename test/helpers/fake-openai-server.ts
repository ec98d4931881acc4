/**
 * A local HTTP server that speaks the OpenAI wire format exactly, for tests and benchmarks:
 *
 * - `POST /v1/chat/completions`, plain JSON, or with `stream: true` as server-sent events
 *   (`data: {chunk}\n\n` … `data: [DONE]\n\n`), usage in a last chunk when `stream_options.include_usage`;
 * - `POST /v1/audio/transcriptions`, multipart/form-data parsed for real: the file's name, type and
 *   bytes, and the `model`, `language` and `response_format` fields are recorded;
 * - `POST /v1/audio/speech` (JSON body): a tone as long as the text takes to say (60 ms a character),
 *   streamed in 100 ms chunks as raw 24 kHz PCM16 (`response_format: pcm`) or as bytes tagged with the
 *   format asked for; a first-chunk delay and failures are scriptable;
 * - scriptable failures: an HTTP error with headers (429 with retry-after, 500…), a hung connection
 *   (headers never sent), a stream cut in the middle (socket destroyed), any reply text (malformed JSON).
 *
 * Every request is recorded, including whether the client hung up before the answer was complete, so a
 * test can see that a cancel really aborted the upstream request.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatMessageBody {
  role: string;
  content: string;
}

export interface ChatRequestBody {
  model: string;
  messages: ChatMessageBody[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  response_format?: { type: string };
  temperature?: number;
  [field: string]: unknown;
}

export interface ChatRequest {
  body: ChatRequestBody;
  headers: IncomingHttpHeaders;
  receivedAt: number;
  /** The client closed the connection before the answer was complete. */
  abortedByClient: boolean;
  /** Resolves when the connection of this request is closed, either way. */
  closed: Promise<void>;
  /** performance.now() when each streamed content chunk was written (benchmarks). */
  chunkSentAt: number[];
}

export type ChatScript =
  | {
      kind: 'reply';
      text: string;
      /** How the text is split into stream chunks. @default words with their trailing space */
      chunks?: readonly string[];
      /** Pause before each chunk, milliseconds. @default 0 */
      chunkDelayMs?: number;
      /** Pause before the first chunk only (a model's time to first token), milliseconds. @default 0 */
      firstChunkDelayMs?: number;
      finishReason?: string;
    }
  | { kind: 'error'; status: number; message?: string; headers?: Record<string, string> }
  | { kind: 'hang' }
  /** Streams `afterChunks` chunks of `text`, then destroys the socket (non-streaming: half a body). */
  | { kind: 'cut'; text: string; afterChunks: number; chunks?: readonly string[] };

export interface TranscriptionRequest {
  fileName: string | undefined;
  fileContentType: string | undefined;
  bytes: Buffer;
  model: string | undefined;
  language: string | undefined;
  responseFormat: string | undefined;
  fields: Record<string, string>;
  headers: IncomingHttpHeaders;
}

export type TranscriptionScript =
  | { kind: 'transcript'; text: string; durationS?: number; language?: string; noSpeechProb?: number; delayMs?: number }
  | { kind: 'error'; status: number; message?: string; headers?: Record<string, string> }
  | { kind: 'hang' };

export interface SpeechRequest {
  body: { model: string; voice: string; input: string; response_format?: string; [field: string]: unknown };
  receivedAt: number;
  /** performance.now() when the first audio byte was written. */
  firstChunkAt: number | undefined;
  abortedByClient: boolean;
}

export type SpeechScript = { kind: 'audio'; firstChunkDelayMs?: number; chunkDelayMs?: number } | { kind: 'error'; status: number; message?: string };

/**
 * 100 ms of a 220 Hz tone at 24 kHz: 22 whole periods, so every chunk of the stream is this one (made once:
 * computing the tone per request held the fake's event loop for milliseconds, which benchmarks counted as
 * the server's).
 */
const TONE_CHUNK_SAMPLES = 2_400;
const TONE_CHUNK = (() => {
  const chunk = Buffer.alloc(TONE_CHUNK_SAMPLES * 2);
  for (let index = 0; index < TONE_CHUNK_SAMPLES; index += 1) chunk.writeInt16LE(Math.round(8_000 * Math.sin((2 * Math.PI * 220 * index) / 24_000)), index * 2);
  return chunk;
})();

/** Milliseconds of audio the fake voice makes per character of text. */
export const FAKE_SPEECH_MS_PER_CHARACTER = 60;

export interface MultipartPart {
  name: string | undefined;
  fileName: string | undefined;
  contentType: string | undefined;
  data: Buffer;
}

/** Splits a multipart/form-data body (RFC 7578) into its parts. */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let position = body.indexOf(delimiter);
  while (position !== -1) {
    let start = position + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    if (body.subarray(start, start + 2).toString() === '\r\n') start += 2;
    const headerEnd = body.indexOf('\r\n\r\n', start);
    if (headerEnd === -1) break;
    const next = body.indexOf(delimiter, headerEnd + 4);
    if (next === -1) break;
    const headerLines = body.subarray(start, headerEnd).toString('utf8').split('\r\n');
    const headers = new Map(
      headerLines.map((line) => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()] as const;
      }),
    );
    const disposition = headers.get('content-disposition') ?? '';
    parts.push({
      name: /\bname="([^"]*)"/.exec(disposition)?.[1],
      fileName: /\bfilename="([^"]*)"/.exec(disposition)?.[1],
      contentType: headers.get('content-type'),
      // the CRLF before the next delimiter belongs to the delimiter
      data: body.subarray(headerEnd + 4, next - 2),
    });
    position = next;
  }
  return parts;
}

function words(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

function delay(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

function errorBody(status: number, message: string | undefined) {
  return { error: { message: message ?? `scripted error ${status}`, type: status === 429 ? 'rate_limit_error' : 'server_error', code: null } };
}

export class FakeOpenAiServer {
  readonly chatRequests: ChatRequest[] = [];
  readonly transcriptionRequests: TranscriptionRequest[] = [];
  readonly speechRequests: SpeechRequest[] = [];
  /** Answers a speech request when no scripted answer is queued. */
  speechHandler: (request: SpeechRequest) => SpeechScript = () => ({ kind: 'audio' });
  private readonly speechQueue: SpeechScript[] = [];
  /** Answers a chat request when no scripted answer is queued. */
  chatHandler: (request: ChatRequest) => ChatScript = () => ({ kind: 'reply', text: 'OK.' });
  /** Answers a transcription request when no scripted answer is queued. */
  transcriptionHandler: (request: TranscriptionRequest) => TranscriptionScript = () => ({ kind: 'transcript', text: 'Hello.' });
  /** Whether `response_format=verbose_json` is accepted (whisper-style servers) or refused with 400. */
  verboseJsonSupported = true;
  private readonly chatQueue: ChatScript[] = [];
  private readonly transcriptionQueue: TranscriptionScript[] = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** Starts on a free port of 127.0.0.1. */
  static async start(): Promise<FakeOpenAiServer> {
    const holder: { instance?: FakeOpenAiServer } = {};
    const server = createServer((request, response) => {
      void holder.instance?.handle(request, response).catch(() => response.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.instance = new FakeOpenAiServer(server, (server.address() as AddressInfo).port);
    return holder.instance;
  }

  /** `http://127.0.0.1:PORT/v1`, for LLM_BASE_URL / STT_BASE_URL. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** Viva's settings that send the model, the recognizer and the voice all to this server. */
  get providerEnvironment(): Record<string, string> {
    const baseUrl = this.baseUrl;
    return { LLM_PROVIDER: 'openai', LLM_BASE_URL: baseUrl, STT_PROVIDER: 'openai', STT_BASE_URL: baseUrl, TTS_PROVIDER: 'openai', TTS_BASE_URL: baseUrl };
  }

  /** Answers for the next chat requests, in order, before `chatHandler` is asked. */
  queueChat(...scripts: ChatScript[]): void {
    this.chatQueue.push(...scripts);
  }

  queueTranscription(...scripts: TranscriptionScript[]): void {
    this.transcriptionQueue.push(...scripts);
  }

  queueSpeech(...scripts: SpeechScript[]): void {
    this.speechQueue.push(...scripts);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '').split('?')[0];
    if (request.method === 'POST' && path === '/v1/chat/completions') return this.handleChat(request, response);
    if (request.method === 'POST' && path === '/v1/audio/transcriptions') return this.handleTranscription(request, response);
    if (request.method === 'POST' && path === '/v1/audio/speech') return this.handleSpeech(request, response);
    sendJson(response, 404, errorBody(404, `no route ${request.method} ${path}`));
  }

  private async handleChat(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = JSON.parse((await readBody(request)).toString('utf8')) as ChatRequestBody;
    let resolveClosed: () => void = () => undefined;
    const record: ChatRequest = {
      body,
      headers: request.headers,
      receivedAt: performance.now(),
      abortedByClient: false,
      closed: new Promise((resolve) => (resolveClosed = resolve)),
      chunkSentAt: [],
    };
    response.on('close', () => {
      if (!response.writableFinished) record.abortedByClient = true;
      resolveClosed();
    });
    this.chatRequests.push(record);
    const script = this.chatQueue.shift() ?? this.chatHandler(record);
    const stream = body.stream === true;
    const id = `chatcmpl-${this.chatRequests.length}`;
    const created = Math.floor(Date.now() / 1000);
    const chunk = (delta: Record<string, unknown>, finishReason: string | null) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`;

    switch (script.kind) {
      case 'hang':
        return;
      case 'error':
        sendJson(response, script.status, errorBody(script.status, script.message), script.headers);
        return;
      case 'cut': {
        if (!stream) {
          response.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
          response.write('{"id":"chatcmpl-cut","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"');
          setTimeout(() => response.destroy(), 5);
          return;
        }
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        response.write(chunk({ role: 'assistant', content: '' }, null));
        for (const piece of (script.chunks ?? words(script.text)).slice(0, script.afterChunks)) {
          response.write(chunk({ content: piece }, null));
          record.chunkSentAt.push(performance.now());
        }
        setTimeout(() => response.destroy(), 5);
        return;
      }
      case 'reply': {
        const usage = { prompt_tokens: 100 + this.chatRequests.length, completion_tokens: words(script.text).length, total_tokens: 0 };
        usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
        const finishReason = script.finishReason ?? 'stop';
        if (!stream) {
          sendJson(response, 200, {
            id,
            object: 'chat.completion',
            created,
            model: body.model,
            choices: [{ index: 0, message: { role: 'assistant', content: script.text }, finish_reason: finishReason }],
            usage,
          });
          return;
        }
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        response.write(chunk({ role: 'assistant', content: '' }, null));
        let firstPiece = true;
        for (const piece of script.chunks ?? words(script.text)) {
          if (firstPiece && script.firstChunkDelayMs !== undefined && script.firstChunkDelayMs > 0) await delay(script.firstChunkDelayMs);
          firstPiece = false;
          if (script.chunkDelayMs !== undefined && script.chunkDelayMs > 0) await delay(script.chunkDelayMs);
          if (response.destroyed || record.abortedByClient) return;
          response.write(chunk({ content: piece }, null));
          record.chunkSentAt.push(performance.now());
        }
        response.write(chunk({}, finishReason));
        if (body.stream_options?.include_usage === true) {
          response.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [], usage })}\n\n`);
        }
        response.end('data: [DONE]\n\n');
        return;
      }
    }
  }

  private async handleSpeech(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = JSON.parse((await readBody(request)).toString('utf8')) as SpeechRequest['body'];
    const record: SpeechRequest = { body, receivedAt: performance.now(), firstChunkAt: undefined, abortedByClient: false };
    response.on('close', () => {
      if (!response.writableFinished) record.abortedByClient = true;
    });
    this.speechRequests.push(record);
    const script = this.speechQueue.shift() ?? this.speechHandler(record);
    if (script.kind === 'error') {
      sendJson(response, script.status, errorBody(script.status, script.message));
      return;
    }
    const format = body.response_format ?? 'mp3';
    response.writeHead(200, { 'content-type': format === 'pcm' ? 'audio/pcm' : `audio/${format}` });
    const totalSamples = Math.round((body.input.length * FAKE_SPEECH_MS_PER_CHARACTER * 24_000) / 1000);
    if (script.firstChunkDelayMs) await delay(script.firstChunkDelayMs);
    for (let start = 0; start < totalSamples; start += TONE_CHUNK_SAMPLES) {
      if (start > 0 && script.chunkDelayMs) await delay(script.chunkDelayMs);
      if (response.destroyed || record.abortedByClient) return;
      const count = Math.min(TONE_CHUNK_SAMPLES, totalSamples - start);
      record.firstChunkAt ??= performance.now();
      response.write(TONE_CHUNK.subarray(0, count * 2));
    }
    response.end();
  }

  private async handleTranscription(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const contentType = request.headers['content-type'] ?? '';
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
    const body = await readBody(request);
    if (!contentType.startsWith('multipart/form-data') || boundary === null) {
      sendJson(response, 400, errorBody(400, 'expected multipart/form-data'));
      return;
    }
    const parts = parseMultipart(body, boundary[1] ?? boundary[2] ?? '');
    const file = parts.find((part) => part.name === 'file');
    const fields = Object.fromEntries(parts.filter((part) => part.fileName === undefined && part.name !== undefined).map((part) => [part.name ?? '', part.data.toString('utf8')]));
    const record: TranscriptionRequest = {
      fileName: file?.fileName,
      fileContentType: file?.contentType,
      bytes: file?.data ?? Buffer.alloc(0),
      model: fields.model,
      language: fields.language,
      responseFormat: fields.response_format,
      fields,
      headers: request.headers,
    };
    this.transcriptionRequests.push(record);
    if (file === undefined) {
      sendJson(response, 400, errorBody(400, 'no file'));
      return;
    }
    if (record.responseFormat === 'verbose_json' && !this.verboseJsonSupported) {
      sendJson(response, 400, errorBody(400, "Invalid value for 'response_format': verbose_json is not supported"));
      return;
    }
    const script = this.transcriptionQueue.shift() ?? this.transcriptionHandler(record);
    switch (script.kind) {
      case 'hang':
        return;
      case 'error':
        sendJson(response, script.status, errorBody(script.status, script.message), script.headers);
        return;
      case 'transcript':
        if (script.delayMs !== undefined && script.delayMs > 0) await delay(script.delayMs);
        if (record.responseFormat === 'verbose_json') {
          const duration = script.durationS ?? 2;
          sendJson(response, 200, {
            task: 'transcribe',
            language: script.language ?? 'english',
            duration,
            text: script.text,
            segments: [{ id: 0, seek: 0, start: 0, end: duration, text: script.text, no_speech_prob: script.noSpeechProb ?? 0.01 }],
          });
        } else {
          sendJson(response, 200, { text: script.text });
        }
    }
  }
}
