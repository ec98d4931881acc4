/**
 * The settings every closed-loop bench starts Viva with: its abuse limits raised so the load is not
 * refused, everything else default. A run adds its own, such as DATABASE_URL.
 */
export const VIVA_BENCH_SETTINGS: Readonly<Record<string, string>> = {
  HOST: '127.0.0.1',
  PORT: '0',
  MAX_CONNECTIONS_PER_IP: '20000',
  SESSIONS_PER_IP_PER_MINUTE: '1000000',
  RATE_LIMIT_MESSAGES_PER_S: '1000',
  HTTP_RATE_LIMIT_PER_MINUTE: '1000000',
  LOG_LEVEL: 'warn',
  SERVE_WEB_APP: 'false',
  ADMIN_TOKEN: 'bench-admin-token',
};
