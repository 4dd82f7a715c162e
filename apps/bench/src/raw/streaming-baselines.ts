import type { ProviderName } from '../cli/names.js';
import type { StreamingBaseline } from './streaming-baseline.js';

/** A provider's raw streaming baselines, imported on demand so a process loads one driver only. */
export async function streamingBaselineOf(provider: ProviderName): Promise<StreamingBaseline> {
  switch (provider) {
    case 'pg':
      return (await import('./pg.js')).pgStreaming;
    case 'mysql':
      return (await import('./mysql.js')).mysqlStreaming;
    case 'mssql':
      return (await import('./mssql.js')).mssqlStreaming;
    case 'sqlite':
      return (await import('./sqlite.js')).sqliteStreaming;
  }
}
