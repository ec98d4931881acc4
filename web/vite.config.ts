import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const webRoot = dirname(fileURLToPath(import.meta.url));

/**
 * The shared code (the workspace packages' sources) is written for Node's ESM resolution, so its relative
 * imports name `.js` files that exist only as `.ts` sources. Vite already maps these for TypeScript
 * importers; this plugin makes the mapping explicit, so the build never depends on that heuristic.
 */
function resolveJsToTs(): Plugin {
  return {
    name: 'viva:resolve-js-to-ts',
    enforce: 'pre',
    resolveId(source, importer) {
      if (importer === undefined || !source.startsWith('.') || !source.endsWith('.js')) return null;
      const candidate = resolve(dirname(importer.split('?')[0] ?? importer), `${source.slice(0, -3)}.ts`);
      return existsSync(candidate) ? candidate : null;
    },
  };
}

/** The candidate app (`/`) and the admin dashboard (`/admin`), built into web/dist for the server to serve. */
export default defineConfig({
  root: webRoot,
  base: '/',
  publicDir: false,
  plugins: [resolveJsToTs()],
  // the workspace packages (@viva/protocol, @viva/client) are bundled from their TypeScript sources
  resolve: { conditions: ['viva-source', 'browser', 'module', 'import', 'default'] },
  build: {
    outDir: resolve(webRoot, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    reportCompressedSize: false,
    rolldownOptions: {
      input: {
        index: resolve(webRoot, 'index.html'),
        admin: resolve(webRoot, 'admin.html'),
      },
    },
  },
  server: {
    // `vite --config web/vite.config.ts` in development: the API and WebSocket go to a local server
    proxy: {
      '/api': { target: 'http://127.0.0.1:8000', ws: true },
    },
  },
});
