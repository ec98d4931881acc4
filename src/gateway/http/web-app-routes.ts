import type {} from '@fastify/swagger';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { Config } from '../../config.js';
import { projectRoot } from '../../package-info.js';

/**
 * Serves the candidate app at `/` and the admin dashboard at `/admin` from the Vite build in web/dist.
 * Without a build (a server-only install), `/` says where the API and its docs are.
 */
export async function registerWebApps(app: FastifyInstance, config: Config): Promise<void> {
  const root = join(projectRoot, 'web', 'dist');
  if (!config.SERVE_WEB_APP || !existsSync(join(root, 'index.html'))) {
    app.get('/', { schema: { hide: true } }, async () => ({
      name: 'Viva',
      message: 'The interview gateway is running. The web app is not built on this install.',
      websocket: '/api/v1/ws',
      docs: '/docs',
    }));
    return;
  }
  await app.register(fastifyStatic, { root, prefix: '/', index: ['index.html'], wildcard: false });
  const adminPage = existsSync(join(root, 'admin.html')) ? 'admin.html' : 'admin/index.html';
  app.get('/admin', { schema: { hide: true } }, (_request, reply) => reply.sendFile(adminPage));
  app.get('/admin/', { schema: { hide: true } }, (_request, reply) => reply.sendFile(adminPage));
}
