import type { InfoMessage } from '@asyncdb/core';
import type { PgNoticeFields } from './pg-client.js';

/**
 * Turns a NoticeResponse (RAISE NOTICE, WARNING, INFO…) into the connection's `infoMessage` payload. The detail and
 * hint, when present, follow the message on their own lines, as psql prints them.
 */
export function toInfoMessage(notice: PgNoticeFields): InfoMessage {
  const lines = [notice.message ?? ''];
  if (notice.detail) lines.push(`DETAIL: ${notice.detail}`);
  if (notice.hint) lines.push(`HINT: ${notice.hint}`);
  return {
    message: lines.join('\n'),
    ...(notice.severity === undefined ? {} : { severity: notice.severity }),
    ...(notice.code === undefined ? {} : { code: notice.code }),
    source: 'PostgreSQL',
  };
}
