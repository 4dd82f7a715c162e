import { describe, expect, it } from 'vitest';
import type { MysqlDriverConnection, MysqlPacket } from './mysql-driver.js';
import { eofWarningCount, watchLastPacket } from './mysql-last-packet.js';

/** The part of a mysql2 connection the watcher wraps: `handlePacket`, called for every packet (and with none to start a command). */
class FakeConnection {
  readonly handled: Array<MysqlPacket | undefined> = [];
  seenByCommand: MysqlPacket | undefined;
  watchedPacket: () => MysqlPacket | undefined = () => undefined;
  handlePacket(packet?: MysqlPacket): void {
    this.handled.push(packet);
    // What a command's `end` listener sees while this packet is handled.
    this.seenByCommand = this.watchedPacket();
  }
}

const eof = (warnings: number): MysqlPacket => ({ isEOF: () => true, eofWarningCount: () => warnings });
const row: MysqlPacket = { isEOF: () => false, eofWarningCount: () => 99 };

describe('watchLastPacket', () => {
  it('records the packet being handled and still hands every packet to mysql2', () => {
    const connection = new FakeConnection();
    const watch = watchLastPacket(connection as unknown as MysqlDriverConnection);
    connection.watchedPacket = () => watch.packet;
    const last = eof(2);
    connection.handlePacket(row);
    expect(connection.seenByCommand).toBe(row);
    connection.handlePacket(last);
    expect(connection.seenByCommand).toBe(last);
    connection.handlePacket();
    expect(watch.packet).toBeUndefined();
    expect(connection.handled).toEqual([row, last, undefined]);
  });

  it('watches nothing when the connection has no handlePacket (another mysql2 shape)', () => {
    const watch = watchLastPacket({} as MysqlDriverConnection);
    expect(watch.packet).toBeUndefined();
  });
});

describe('eofWarningCount', () => {
  it('is the count of an EOF packet, and 0 for anything else', () => {
    expect(eofWarningCount(eof(3))).toBe(3);
    expect(eofWarningCount(row)).toBe(0);
    expect(eofWarningCount(undefined)).toBe(0);
  });
});
