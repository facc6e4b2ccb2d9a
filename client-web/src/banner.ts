/** The error banner (role=alert) and the polite notice line. */
import { byId } from './dom';
import type { ServerError } from './errors';

export function showError(error: ServerError): void {
  byId('error-code').textContent = error.code;
  byId('error-message').textContent = error.field && !error.message.includes(error.field) ? `${error.message} (${error.field})` : error.message;
  const banner = byId('error-banner');
  banner.dataset.code = error.code;
  banner.hidden = false;
}

export function clearError(): void {
  byId('error-banner').hidden = true;
}

let noticeTimer = 0;

export function notify(text: string): void {
  const notice = byId('notice');
  notice.textContent = text;
  notice.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = window.setTimeout(() => (notice.hidden = true), 4000);
}

export function wireBanner(): void {
  byId('error-dismiss').addEventListener('click', clearError);
}
