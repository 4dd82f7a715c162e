import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { describeProviderConformance } from '@asyncdb/testkit';
import { SqliteProviderFactory } from '../src/index.js';
import { sqliteFixture } from './sqlite-fixture.js';

// No server: the suite runs against a database file of its own, which every connection of the suite opens.
const directory = mkdtempSync(join(tmpdir(), 'asyncdb-sqlite-conformance-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describeProviderConformance({
  name: 'sqlite',
  factory: SqliteProviderFactory.instance,
  connectionString: `Data Source=${join(directory, 'conformance.db')};Foreign Keys=True;Default Timeout=10`,
  fixture: sqliteFixture,
  serverHint: 'SQLite needs no server: check that the libsql package installed its prebuilt binary (npm ci).',
});
