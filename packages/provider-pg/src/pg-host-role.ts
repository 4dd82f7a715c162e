import type { HostRole } from '@asyncdb/core';
import type { PgClient } from './pg-client.js';
import { queryText } from './pg-driver.js';

/**
 * The role of the server behind a client, as libpq and Npgsql find it: from the `in_hot_standby` and
 * `default_transaction_read_only` ParameterStatus values the server reports at startup (PostgreSQL 14 and later)
 * while they are first-hand (the client was just connected) else with one query. A pooled client's values may be
 * stale (an idle session is not told of a promotion until it runs something), so a reused client is always asked.
 */
export async function pgRoleOf(client: PgClient): Promise<HostRole> {
  const hotStandby = client.serverParameters.get('in_hot_standby');
  if (client.handovers === 1 && hotStandby !== undefined) {
    const standby = hotStandby === 'on';
    return { standby, readOnly: standby || client.serverParameters.get('default_transaction_read_only') === 'on' };
  }
  const [row] = await queryText(client, "SELECT pg_is_in_recovery(), current_setting('transaction_read_only')");
  const standby = row?.[0] === 't';
  return { standby, readOnly: standby || row?.[1] === 'on' };
}
