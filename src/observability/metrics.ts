import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ErrorCode } from '@viva/protocol/error-codes.js';
import type { TurnMetrics, TurnStage } from '../interview/turn-metrics.js';

/** Stages of a live voice turn (docs/protocol.md §9), each a histogram series. */
export type VoiceStage = 'vad_end_of_turn' | 'stt' | 'model_first_token' | 'tts_first_audio' | 'voice_to_voice';

/**
 * Prometheus metrics and the plain counters behind `/api/v1/websocket/stats`. One instance per process,
 * made in the composition root; each server in a test process gets its own registry.
 */
export class Metrics implements TurnMetrics {
  readonly registry = new Registry();
  readonly startedAt = Date.now();

  private readonly messagesInByType = new Map<string, number>();
  private readonly messagesOutByType = new Map<string, number>();
  private readonly errorsByCode = new Map<string, number>();

  readonly connectionsActive = new Gauge({
    name: 'viva_connections_active',
    help: 'WebSocket connections open on this node',
    registers: [this.registry],
  });
  readonly connectionsOpened = new Counter({
    name: 'viva_connections_opened_total',
    help: 'WebSocket connections accepted',
    registers: [this.registry],
  });
  readonly connectionsClosed = new Counter({
    name: 'viva_connections_closed_total',
    help: 'WebSocket connections closed, by close code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly upgradesRejected = new Counter({
    name: 'viva_upgrades_rejected_total',
    help: 'WebSocket upgrades refused before the handshake, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  // counted in the plain maps above and copied into the counter at scrape time: a labelled inc() hashes
  // its labels on every call, and these two run for every frame in and out (six or seven per turn)
  readonly messagesIn = new Counter({
    name: 'viva_messages_in_total',
    help: 'Client messages received, by type',
    labelNames: ['type'] as const,
    registers: [this.registry],
    collect: copyCounts(this.messagesInByType),
  });
  readonly messagesOut = new Counter({
    name: 'viva_messages_out_total',
    help: 'Server messages sent, by type',
    labelNames: ['type'] as const,
    registers: [this.registry],
    collect: copyCounts(this.messagesOutByType),
  });
  private readonly errors = new Counter({
    name: 'viva_errors_total',
    help: 'Errors answered to clients, by contract code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  private readonly turnLatency = new Histogram({
    name: 'viva_turn_latency_seconds',
    help: 'Latency of interview turns, by stage (stt, ai, total)',
    labelNames: ['stage'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  private readonly voiceLatency = new Histogram({
    name: 'viva_voice_latency_seconds',
    help: 'Live voice turns, by stage: vad_end_of_turn (end of speech to detection), stt (detection to transcript), model_first_token, tts_first_audio, voice_to_voice (end of speech to first reply audio)',
    labelNames: ['stage'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1, 1.5, 2, 3, 5, 10],
    registers: [this.registry],
  });
  readonly limitsHit = new Counter({
    name: 'viva_limits_hit_total',
    help: 'Requests refused by a configured limit, by limit',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });
  readonly sessionsCreated = new Counter({
    name: 'viva_sessions_created_total',
    help: 'Sessions created',
    registers: [this.registry],
  });

  constructor(options: { collectProcessMetrics?: boolean } = {}) {
    if (options.collectProcessMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'viva_' });
  }

  messageIn(type: string): void {
    // unknown types are counted under one label so a client cannot blow up the label set
    const label = type.length <= 32 && /^[a-z_]+$/.test(type) ? type : 'other';
    this.messagesInByType.set(label, (this.messagesInByType.get(label) ?? 0) + 1);
  }

  messageOut(type: string): void {
    this.messagesOutByType.set(type, (this.messagesOutByType.get(type) ?? 0) + 1);
  }

  error(code: ErrorCode): void {
    this.errors.inc({ code });
    this.errorsByCode.set(code, (this.errorsByCode.get(code) ?? 0) + 1);
  }

  observeStage(stage: TurnStage, milliseconds: number): void {
    this.turnLatency.observe({ stage }, milliseconds / 1000);
  }

  observeVoice(stage: VoiceStage, milliseconds: number): void {
    this.voiceLatency.observe({ stage }, milliseconds / 1000);
  }

  limitHit(limit: string): void {
    this.limitsHit.inc({ limit });
  }

  totals(): { messages_in: number; messages_out: number; errors_by_code: Record<string, number> } {
    const sum = (map: Map<string, number>) => [...map.values()].reduce((total, count) => total + count, 0);
    return {
      messages_in: sum(this.messagesInByType),
      messages_out: sum(this.messagesOutByType),
      errors_by_code: Object.fromEntries(this.errorsByCode),
    };
  }
}

/** A counter's `collect`: sets the counter to the counts kept in `counts`, by type. */
function copyCounts(counts: ReadonlyMap<string, number>): (this: Counter<'type'>) => void {
  return function copy(this: Counter<'type'>) {
    this.reset();
    for (const [type, count] of counts) this.inc({ type }, count);
  };
}
