import type { Logger } from 'pino';
import type { AudioInspectionPool } from '../../audio/audio-inspection-pool.js';
import type { ClusterNode } from '../../cluster/cluster-node.js';
import type { Config } from '../../config.js';
import type { InterviewCoordinator } from '../../interview/interview-coordinator.js';
import type { SessionStore } from '../../interview/session-store.js';
import type { Metrics } from '../../observability/metrics.js';
import type { ConnectionRegistry } from '../connection-registry.js';
import type { SessionTokens } from '../session-tokens.js';
import type { SessionCreationLimiter } from '../session-creation-limiter.js';

/** What the HTTP routes are given by the composition root. */
export interface HttpContext {
  /** Sessions created per address per minute, shared with the WebSocket upgrade. */
  creations: SessionCreationLimiter;
  config: Config;
  coordinator: InterviewCoordinator;
  /** Decodes and inspects uploaded audio off the event loop. */
  audio: AudioInspectionPool;
  store: SessionStore;
  cluster: ClusterNode;
  registry: ConnectionRegistry;
  metrics: Metrics;
  tokens: SessionTokens;
  adminToken: string;
  logger: Logger;
  /** Whether the server is draining for shutdown (then /ready says no). */
  isDraining(): boolean;
}
