/** What ends a turn: the reply, or an error the server sent in its place. */
export type TurnOutcome = { kind: 'reply' } | { kind: 'error'; code: string };

/**
 * How the closed-loop client talks to one kind of server. Both kinds get the same frames (a Viva
 * `text_input`), so the echo baseline moves the same bytes one way.
 */
export interface TurnProtocol {
  /** Where each simulated candidate connects. */
  readonly url: string;
  /** True when a connection may take its first turn as soon as the socket opens. */
  readonly readyOnOpen: boolean;
  /** True for the frame that makes a connection ready (Viva: `connected`). */
  isReady(frame: string): boolean;
  /** The outcome of turn `turnId` if this frame ends it. */
  outcome(frame: string, turnId: string): TurnOutcome | undefined;
}

const ANSWERS = [
  'I led the migration of our payments service to an event-driven design; the hardest part was keeping exactly-once semantics while we ran both paths.',
  'We measured p99 latency before and after, found the connection pool was the bottleneck, and cut it by forty percent with a bounded queue.',
  'When two teams disagreed on the API shape, I wrote a short decision record with both options and the trade-offs, and we settled it in one meeting.',
  'I would start from the user problem, write down what success looks like, and ship the smallest version that tests the riskiest assumption.',
  'A bug I remember: a retry loop without jitter that synchronised every client after an outage; full-jitter backoff fixed it.',
] as const;

/** The frame of one candidate turn; `index` picks one of five realistic answers. */
export function turnRequest(turnId: string, index: number): string {
  const text = ANSWERS[index % ANSWERS.length] ?? ANSWERS[0];
  return JSON.stringify({ type: 'text_input', id: turnId, data: { text } });
}

interface VivaFrame {
  type?: unknown;
  reply_to?: unknown;
  data?: { code?: unknown };
}

export function vivaProtocol(wsBase: string): TurnProtocol {
  return {
    url: `${wsBase}/api/v1/ws`,
    readyOnOpen: false,
    isReady: (frame) => parse(frame)?.type === 'connected',
    outcome(frame, turnId) {
      const message = parse(frame);
      if (message?.reply_to !== turnId) return undefined;
      if (message.type === 'ai_response') return { kind: 'reply' };
      if (message.type === 'error') return { kind: 'error', code: String(message.data?.code ?? 'UNKNOWN') };
      return undefined;
    },
  };
}

export function echoProtocol(wsBase: string): TurnProtocol {
  return {
    url: `${wsBase}/`,
    readyOnOpen: true,
    isReady: () => true,
    // the frame that comes back is the request itself
    outcome: () => ({ kind: 'reply' }),
  };
}

function parse(frame: string): VivaFrame | undefined {
  try {
    const value: unknown = JSON.parse(frame);
    return typeof value === 'object' && value !== null ? (value as VivaFrame) : undefined;
  } catch {
    return undefined;
  }
}
