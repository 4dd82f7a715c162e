import { describe, expect, it } from 'vitest';
import type { MysqlDriverConnection, MysqlPacket } from './mysql-driver.js';
import { isEofPacket, watchLastPacket } from './mysql-last-packet.js';

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

const eof = (warnings: number): MysqlPacket => ({
  isEOF: () => true,
  eofWarningCount: () => warnings,
  eofStatusFlags: () => 2,
});
const row: MysqlPacket = { isEOF: () => false, eofWarningCount: () => 99, eofStatusFlags: () => 99 };

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

describe('isEofPacket', () => {
  it('is true for an EOF packet only', () => {
    expect(isEofPacket(eof(3))).toBe(true);
    expect(isEofPacket(row)).toBe(false);
    expect(isEofPacket(undefined)).toBe(false);
  });
});
