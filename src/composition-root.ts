import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ClusterNode } from './cluster/cluster-node.js';
import { LocalClusterNode, type LocalConnections } from './cluster/local-cluster-node.js';
import { RedisClusterNode } from './cluster/redis-cluster-node.js';
import type { Config } from './config.js';
import { ConnectionRegistry } from './gateway/connection-registry.js';
import { createHttpApp } from './gateway/http-app.js';
import type { HttpContext } from './gateway/http/http-context.js';
import { registerInterviewRoutes } from './gateway/http/interview-routes.js';
import { registerManagementRoutes } from './gateway/http/management-routes.js';
import { registerRecruitingRoutes } from './gateway/http/recruiting-routes.js';
import { registerOperationsRoutes } from './gateway/http/operations-routes.js';
import { interviewReportPath } from './gateway/http/route-paths.js';
import { registerWebApps } from './gateway/http/web-app-routes.js';
import { SessionTokens } from './gateway/session-tokens.js';
import { UpgradeGuard } from './gateway/upgrade-guard.js';
import { SessionCreationLimiter } from './gateway/session-creation-limiter.js';
import { startRetentionJob } from './storage/retention-job.js';
import { WebSocketGateway } from './gateway/websocket-gateway.js';
import { VoiceGateway } from './gateway/voice/voice-gateway.js';
import { InterviewCoordinator } from './interview/interview-coordinator.js';
import type { InterviewEvaluator, InterviewPlanner, Interviewer, SpeechRecognizer, SpeechSynthesizer } from './interview/interview-ports.js';
import { localSessionLeases, type SessionLeases } from './interview/session-leases.js';
import type { SessionStore } from './interview/session-store.js';
import { createLogger } from './observability/logger.js';
import { Metrics } from './observability/metrics.js';
import { CloseCode } from '@viva/protocol/close-codes.js';
import { AudioInspectionPool } from './audio/audio-inspection-pool.js';
import { AudioUploadBudget } from './audio/audio-upload-budget.js';
import { createProviders } from './providers/create-providers.js';
import { openSessionStore } from './storage/open-session-store.js';
import { packageVersion } from './package-info.js';

export interface Viva {
  app: FastifyInstance;
  config: Config;
  logger: Logger;
  adminToken: string;
  /** Listens on HOST:PORT; resolves with the address (PORT=0 picks a free port). */
  listen(): Promise<{ url: string; port: number }>;
  /** Graceful shutdown (docs/protocol.md §4 close 1012). */
  shutdown(): Promise<void>;
}

/** Parts a test or an embedding application may supply instead of the configured ones. */
export interface VivaOverrides {
  store?: SessionStore;
  planner?: InterviewPlanner;
  interviewer?: Interviewer;
  evaluator?: InterviewEvaluator;
  speech?: SpeechRecognizer;
  /** The interviewer's voice; null for none. */
  voice?: SpeechSynthesizer | null;
  logger?: Logger;
}


/**
 * The composition root: the only place that picks implementations (store, cluster, providers) from the
 * configuration and wires them together.
 */
export async function createViva(config: Config, overrides: VivaOverrides = {}): Promise<Viva> {
  const logger =
    overrides.logger ??
    createLogger(config.LOG_LEVEL, {
      secrets: [config.ADMIN_TOKEN, config.SESSION_TOKEN_SECRET, config.LLM_API_KEY, config.STT_API_KEY, ...config.API_KEYS],
    });
  const metrics = new Metrics();
  const store =
    overrides.store ??
    (await openSessionStore(config.DATABASE_URL, {
      poolSize: config.PG_POOL_SIZE,
      onIdleError: (error) => logger.warn({ err: error.message }, 'an idle database connection failed; it will be replaced'),
    }));
  const secret =
    config.SESSION_TOKEN_SECRET ?? (await store.getOrCreateSetting('session_token_secret', () => randomBytes(32).toString('base64url')));
  const tokens = new SessionTokens(secret, config.SESSION_TOKEN_TTL_S);
  const adminToken = config.ADMIN_TOKEN ?? randomBytes(24).toString('base64url');
  const nodeId = config.NODE_ID ?? `${hostname()}-${process.pid}`;

  const registry = new ConnectionRegistry();
  // made below (it needs the coordinator); replies delivered here are spoken while a connection's voice is on
  let voiceGateway: VoiceGateway | undefined;
  const localConnections: LocalConnections = {
    deliverNow: (sessionId, message) => {
      voiceGateway?.observeDelivered(sessionId, message);
      return registry.deliverNow(sessionId, message);
    },
    list: () => [...registry.sessions()].map((connection) => connection.describe(nodeId)),
    stats: () => ({ connections_active: registry.size, ...pick(metrics.totals()) }),
    closeSession: (sessionId, reason) => registry.get(sessionId)?.close(CloseCode.NORMAL, reason),
    closeReplaced: (sessionId, keepConnectionId) => {
      const connection = registry.get(sessionId);
      if (connection !== undefined && connection.id !== keepConnectionId) {
        connection.close(CloseCode.REPLACED, 'replaced by a newer connection to the same session');
      }
    },
  };
  const { cluster, leases } = await createCluster(config, nodeId, localConnections, logger);

  const providers = createProviders(config, { logger, metrics });
  const speech = overrides.speech ?? providers.speech;
  // with no recognizer, audio only needs the checks the contract names before STT_UNAVAILABLE
  const audio = new AudioInspectionPool({
    workers: config.AUDIO_INSPECTION_WORKERS,
    maxQueued: config.AUDIO_INSPECTION_WORKERS * 16,
    maxPerAddress: config.AUDIO_INSPECTIONS_PER_IP,
    niceness: config.AUDIO_INSPECTION_NICENESS,
    budget: new AudioUploadBudget(config.AUDIO_BYTES_PER_IP_PER_MINUTE),
    timeBudgetMs: config.AUDIO_INSPECTION_TIMEOUT_MS,
    maxAudioBytes: config.MAX_AUDIO_BYTES,
    depth: speech.provider === 'none' ? 'sniff' : 'full',
    logger,
  });
  const voice = overrides.voice !== undefined ? overrides.voice : providers.voice;
  const coordinator = new InterviewCoordinator({
    store,
    planner: overrides.planner ?? providers.planner,
    interviewer: overrides.interviewer ?? providers.interviewer,
    evaluator: overrides.evaluator ?? providers.evaluator,
    speech,
    sink: cluster,
    leases,
    metrics,
    maxQueuedInputs: config.MAX_QUEUED_INPUTS,
    aiTimeoutMs: config.AI_TIMEOUT_MS,
    sttTimeoutMs: config.STT_TIMEOUT_MS,
    logger,
    reportUrl: interviewReportPath,
  });

  const creations = new SessionCreationLimiter(config.SESSIONS_PER_IP_PER_MINUTE);
  let draining = false;
  const app = await createHttpApp({ config, logger, metrics, version: packageVersion });
  const context: HttpContext = {
    creations,
    config,
    coordinator,
    audio,
    store,
    cluster,
    registry,
    metrics,
    tokens,
    adminToken,
    logger,
    isDraining: () => draining,
  };
  const gateway = new WebSocketGateway({
    config,
    coordinator,
    audio,
    registry,
    metrics,
    tokens,
    guard: new UpgradeGuard(config, tokens, creations, async (sessionId) => (await store.getSession(sessionId)) !== null),
    creations,
    logger,
    cluster,
    voice: (voiceGateway = new VoiceGateway({
      coordinator,
      recognizer: overrides.speech ?? providers.speech,
      synthesizer: voice,
      metrics,
      logger: logger.child({ component: 'voice' }),
    })),
  });
  gateway.register(app);
  registerInterviewRoutes(app, context);
  registerManagementRoutes(app, context);
  registerRecruitingRoutes(app, context);
  registerOperationsRoutes(app, context);
  await registerWebApps(app, config);
  await cluster.start();
  const stopRetention = startRetentionJob(store, config.RETENTION_DAYS, logger);

  return {
    app,
    config,
    logger,
    adminToken,
    async listen() {
      await audio.ready();
      const address = await app.listen({ host: config.HOST, port: config.PORT });
      const port = (app.server.address() as { port: number }).port;
      // voice turns a stopped process acknowledged but never answered (docs/protocol.md §9)
      void coordinator
        .resumeAllPendingInputs()
        .then((answered) => {
          if (answered > 0) logger.info({ answered }, 'answered the voice turns held when the previous process stopped');
        })
        .catch((error: unknown) => logger.error({ err: error }, 'could not resume the held voice turns'));
      return { url: address, port };
    },
    async shutdown() {
      if (draining) return;
      draining = true;
      stopRetention();
      gateway.stopAccepting();
      // running turns get a bounded time to finish, so their replies are stored and sent
      await Promise.race([coordinator.drained(), delay(config.SHUTDOWN_GRACE_MS)]);
      // this node's own connections: the cluster's view needs Redis, which may be the reason for the restart
      await Promise.allSettled(
        localConnections
          .list()
          .map((entry) =>
            coordinator.sendNotice(entry.session_id, {
              message: 'The server is restarting. Your interview is saved; reconnecting…',
              from: 'system',
              data: { reason: 'server_restart' },
            }),
          ),
      );
      gateway.closeAll(CloseCode.SERVICE_RESTART, 'server restarting');
      await app.close();
      await cluster.stop();
      await store.close();
      await audio.close();
      await voice?.close?.();
    },
  };
}

async function createCluster(
  config: Config,
  nodeId: string,
  local: LocalConnections,
  logger: Logger,
): Promise<{ cluster: ClusterNode; leases: SessionLeases }> {
  if (config.REDIS_URL === undefined) return { cluster: new LocalClusterNode(nodeId, local), leases: localSessionLeases };
  // cluster mode: the node is started (connects to Redis, announces itself) by createViva via cluster.start()
  const cluster = new RedisClusterNode(local, {
    nodeId,
    redisUrl: config.REDIS_URL,
    keyPrefix: config.REDIS_KEY_PREFIX,
    leaseTtlMs: config.LEASE_TTL_MS,
    leaseWaitMs: config.LEASE_WAIT_MS,
    heartbeatMs: config.NODE_HEARTBEAT_MS,
    logger: logger.child({ component: 'cluster', node: nodeId }),
  });
  return { cluster, leases: cluster.leases };
}

function pick(totals: { messages_in: number; messages_out: number }) {
  return { messages_in: totals.messages_in, messages_out: totals.messages_out };
}

function delay(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds).unref());
}
