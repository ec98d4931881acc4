import { t, uiLanguage } from '../shared/i18n.js';

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

/** "3.5 / 5". */
export function scoreText(score: number): string {
  return `${score.toFixed(1)} / 5`;
}

/** The UI's name of a normalized level (junior / mid / senior / lead); other text as given. */
export function levelLabel(level: string): string {
  return level === 'junior' || level === 'mid' || level === 'senior' || level === 'lead' ? t(`start.level.${level}`) : level;
}

/** "4 Dec 2026, 10:12" in the interface language. */
export function formatDateTime(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : date.toLocaleString(locale(), { dateStyle: 'medium', timeStyle: 'short' });
}

/** Offers a Blob as a file download (fetched with the admin token, which a plain link cannot carry). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** "System design" from "system design" or "system_design"; names in scripts without case stay as they are. */
export function competencyLabel(name: string): string {
  const words = /^[a-z0-9]+(_[a-z0-9]+)+$/.test(name) ? name.replaceAll('_', ' ') : name;
  return words.charAt(0).toLocaleUpperCase('en') + words.slice(1);
}
