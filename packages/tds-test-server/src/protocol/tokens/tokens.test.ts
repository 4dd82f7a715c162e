import { describe, expect, it } from 'vitest';
import { parseTokens } from '../../testing/tedious-tokens.js';
import { SERVER_COLLATION } from '../collation.js';
import { DoneStatus, encodeDone } from './done-token.js';
import {
  encodeCollationChange,
  encodeDatabaseChange,
  encodePacketSizeChange,
  encodeResetConnectionAck,
  encodeTransactionChange,
} from './env-change-token.js';
import { encodeFeatureExtAck, encodeLoginAck } from './login-ack-token.js';
import { encodeMessage } from './message-token.js';
import { encodeReturnStatus, encodeReturnValue } from './return-tokens.js';

describe('tokens as tedious parses them', () => {
  it('DONE, DONEINPROC and DONEPROC with status bits and a 64-bit row count', async () => {
    const tokens = await parseTokens([
      encodeDone('done', DoneStatus.More | DoneStatus.Count, 3),
      encodeDone('doneInProc', DoneStatus.Error | DoneStatus.More),
      encodeDone('doneProc', DoneStatus.Attention, 2 ** 40),
    ]);
    expect(tokens).toMatchObject([
      { name: 'DONE', more: true, sqlError: false, rowCount: 3, attention: false },
      { name: 'DONEINPROC', more: true, sqlError: true, rowCount: undefined },
      { name: 'DONEPROC', attention: true, rowCount: undefined },
    ]);
  });

  it('ENVCHANGE for database, packet size, collation, transactions and reset', async () => {
    const descriptor = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const tokens = await parseTokens([
      encodeDatabaseChange('new', 'old'),
      encodePacketSizeChange(8192, 4096),
      encodeCollationChange(SERVER_COLLATION),
      encodeTransactionChange('begin', descriptor),
      encodeTransactionChange('commit', descriptor),
      encodeTransactionChange('rollback', descriptor),
      encodeResetConnectionAck(),
    ]);
    expect(tokens.map((t) => t.name)).toEqual([
      'ENVCHANGE',
      'ENVCHANGE',
      'ENVCHANGE',
      'ENVCHANGE',
      'ENVCHANGE',
      'ENVCHANGE',
      'ENVCHANGE',
    ]);
    expect(tokens.map((t) => t.type)).toEqual([
      'DATABASE',
      'PACKET_SIZE',
      'SQL_COLLATION',
      'BEGIN_TXN',
      'COMMIT_TXN',
      'ROLLBACK_TXN',
      'RESET_CONNECTION',
    ]);
    expect(tokens[0]).toMatchObject({ newValue: 'new', oldValue: 'old' });
    expect(tokens[1]).toMatchObject({ newValue: 8192, oldValue: 4096 });
    // tedious turns the collation into a code page: the UTF-8 flag means varchar is UTF-8.
    expect(tokens[2]!.newValue).toMatchObject({ lcid: 0x0409, codepage: 'utf-8', version: 2 });
    expect(tokens[3]).toMatchObject({ newValue: descriptor, oldValue: Buffer.alloc(0) });
    expect(tokens[4]).toMatchObject({ newValue: Buffer.alloc(0), oldValue: descriptor });
  });

  it('INFO and ERROR with every field', async () => {
    const tokens = await parseTokens([
      encodeMessage({ number: 5701, state: 2, severity: 0, message: 'Changed database context' }, 'srv'),
      encodeMessage({ number: 547, state: 0, severity: 16, message: 'FK ☃', procName: 'proc', lineNumber: 12 }, 'srv'),
    ]);
    expect(tokens).toMatchObject([
      {
        name: 'INFO',
        number: 5701,
        state: 2,
        class: 0,
        message: 'Changed database context',
        serverName: 'srv',
        procName: '',
        lineNumber: 1,
      },
      { name: 'ERROR', number: 547, state: 0, class: 16, message: 'FK ☃', procName: 'proc', lineNumber: 12 },
    ]);
  });

  it('LOGINACK reports TDS 7.4 and SQL_TSQL; FEATUREEXTACK acknowledges UTF-8', async () => {
    const tokens = await parseTokens([
      encodeLoginAck('Microsoft SQL Server', { major: 16, minor: 0, build: 1000 }),
      encodeFeatureExtAck([{ id: 0x0a, data: Buffer.from([1]) }]),
    ]);
    expect(tokens[0]).toMatchObject({
      name: 'LOGINACK',
      interface: 'SQL_TSQL',
      tdsVersion: '7_4',
      progName: 'Microsoft SQL Server',
      progVersion: { major: 16, minor: 0, buildNumHi: 3, buildNumLow: 232 },
    });
    expect(tokens[1]).toMatchObject({ name: 'FEATUREEXTACK', utf8Support: true });
  });

  it('RETURNSTATUS and RETURNVALUE (the name loses its @ in tedious)', async () => {
    const tokens = await parseTokens([
      encodeReturnStatus(-6),
      encodeReturnValue(1, '@out', { name: '@out', type: 'bigint', nullable: true }, 5n),
      encodeReturnValue(
        2,
        'big',
        { name: 'big', type: 'varbinary', length: -1, nullable: true },
        Buffer.alloc(20_000, 1),
      ),
      encodeReturnValue(3, '@n', { name: '@n', type: 'uniqueidentifier', nullable: true }, null),
    ]);
    expect(tokens[0]).toMatchObject({ name: 'RETURNSTATUS', value: -6 });
    expect(tokens[1]).toMatchObject({ name: 'RETURNVALUE', paramOrdinal: 1, paramName: 'out', value: '5' });
    expect(tokens[2]).toMatchObject({ paramOrdinal: 2, paramName: 'big' });
    expect((tokens[2]!.value as Buffer).length).toBe(20_000);
    expect(tokens[3]).toMatchObject({ paramName: 'n', value: null });
  });
});
