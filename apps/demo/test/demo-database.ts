import { inject } from 'vitest';
import type { DbProviderFactory } from '@asyncdb/core';
import { loadProvider } from '../src/providers.js';

/** The provider and connection string of the shared embedded PostgreSQL (see demo-database.global-setup.ts). */
export async function demoDatabase(): Promise<{ factory: DbProviderFactory; connectionString: string }> {
  return { factory: await loadProvider('pg'), connectionString: inject('demoConnectionString') };
}
