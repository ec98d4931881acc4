import { createHash } from 'node:crypto';

/**
 * The Content-Security-Policy of every HTML answer (the candidate app, the admin dashboard, /docs, the
 * HTML report): scripts and styles from this origin only, no inline script at all, no plugins, no
 * framing, no <base> tricks. An injected tag that slipped past escaping could run nothing.
 */
export function contentSecurityPolicy(extra: { styleHashes?: readonly string[]; inlineStyles?: boolean } = {}): string {
  const styles = ["'self'", ...(extra.styleHashes ?? []).map((hash) => `'${hash}'`), ...(extra.inlineStyles ? ["'unsafe-inline'"] : [])];
  return [
    "default-src 'self'",
    "script-src 'self'",
    "script-src-attr 'none'",
    `style-src ${styles.join(' ')}`,
    "img-src 'self' data:",
    "font-src 'self' data:",
    // 'self' covers ws:// and wss:// to this host (CSP Level 3), which is all the web apps connect to
    "connect-src 'self'",
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * /docs: the swagger UI sets inline styles at run time (which change with its version), so its styles
 * may be inline; its scripts are held to 'self' like every other page. A style cannot run code.
 */
export const DOCS_CSP = contentSecurityPolicy({ inlineStyles: true });

/** The CSP source expression (`sha256-…`) allowing exactly this inline <style> content. */
export function styleHash(css: string): string {
  return `sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}`;
}
