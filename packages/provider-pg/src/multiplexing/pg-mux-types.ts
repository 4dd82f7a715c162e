import {
  TYPE_LOOKUP_SQL,
  catalogTypeCache,
  integerArrayLiteral,
  readCatalogTypes,
  type PgCatalogTypeEntry,
} from '../pg-catalog.js';
import { pgTypeInfo } from '../pg-type-map.js';
import type { PgMuxRoute } from './pg-mux-route.js';
import { muxTextRows } from './pg-mux-text-query.js';

/** The catalog types a multiplexer's commands have met (types are per database, so every session shares them). */
export function muxTypeCache(route: PgMuxRoute): Map<number, PgCatalogTypeEntry> {
  return catalogTypeCache(route.typeCacheKey);
}

/** The oids neither built in nor cached. */
export function unknownOids(oids: Iterable<number>, cache: Map<number, PgCatalogTypeEntry>): number[] {
  return [...new Set(oids)].filter((oid) => !pgTypeInfo(oid) && !cache.has(oid));
}

/** Looks `oids` up through the route (as a pipeline entry of its own) and caches them. */
export async function lookUpTypes(route: PgMuxRoute, oids: readonly number[]): Promise<void> {
  const rows = await muxTextRows(route, TYPE_LOOKUP_SQL, [integerArrayLiteral(oids)]);
  const cache = muxTypeCache(route);
  for (const [oid, entry] of readCatalogTypes(rows)) cache.set(oid, entry);
}
