import { uiLanguage } from '../shared/i18n.js';

/** Number and time formatting for the dashboard, in the interface language. */

function locale(): string {
  return uiLanguage() === 'zh' ? 'zh-CN' : 'en';
}

export function formatNumber(value: number): string {
  return new Intl.NumberFormat(locale()).format(value);
}

/** "3 h 12 min", "45 s". */
export function formatDuration(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  const zh = uiLanguage() === 'zh';
  const parts: string[] = [];
  if (days > 0) parts.push(zh ? `${days} 天` : `${days} d`);
  if (hours > 0) parts.push(zh ? `${hours} 小时` : `${hours} h`);
  if (minutes > 0 && days === 0) parts.push(zh ? `${minutes} 分` : `${minutes} min`);
  if (parts.length === 0) parts.push(zh ? `${Math.max(0, Math.round(seconds))} 秒` : `${Math.max(0, Math.round(seconds))} s`);
  return parts.join(' ');
}

/** "2 minutes ago", relative to now. */
export function formatRelative(iso: string): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '—';
  const seconds = Math.round((then - Date.now()) / 1000);
  const format = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' });
  const magnitude = Math.abs(seconds);
  if (magnitude < 60) return format.format(seconds, 'second');
  if (magnitude < 3_600) return format.format(Math.round(seconds / 60), 'minute');
  if (magnitude < 86_400) return format.format(Math.round(seconds / 3_600), 'hour');
  return format.format(Math.round(seconds / 86_400), 'day');
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : date.toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
