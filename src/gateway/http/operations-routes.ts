import type { FastifyInstance } from 'fastify';
import type { HttpContext } from './http-context.js';

/** Health, readiness and metrics for operators and orchestrators. */
export function registerOperationsRoutes(app: FastifyInstance, context: HttpContext): void {
  const tags = ['operations'];
  app.get('/health', { schema: { tags, summary: 'The process is alive' } }, async () => ({ status: 'ok', node: context.cluster.nodeId }));

  app.get('/ready', { schema: { tags, summary: 'The store and the bus answer' } }, async (_request, reply) => {
    const check = async (probe: () => Promise<void>) => {
      try {
        await withTimeout(probe(), 2_000);
        return 'ok';
      } catch {
        return 'unreachable';
      }
    };
    const [store, bus] = await Promise.all([check(() => context.store.ping()), check(() => context.cluster.ping())]);
    const draining = context.isDraining();
    const ready = store === 'ok' && bus === 'ok' && !draining;
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', store, bus, draining });
  });

  app.get('/metrics', { schema: { tags, summary: 'Prometheus metrics' } }, async (_request, reply) => {
    return reply.type(context.metrics.registry.contentType).send(await context.metrics.registry.metrics());
  });
}

function withTimeout<T>(promise: Promise<T>, milliseconds: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), milliseconds);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
