import type { MysqlDriverConnection, MysqlPacket } from './mysql-driver.js';

/** The packet mysql2 is handing to its current command, per physical connection. */
export interface LastPacket {
  /** The packet being handled; `undefined` between packets is possible and means "unknown". */
  packet: MysqlPacket | undefined;
}

/**
 * mysql2 does not expose the warning count of the EOF packet that ends a result set (only OK packets carry it in
 * its API). Every packet of a connection goes through the connection's `handlePacket(packet)`, and a command emits
 * `end` synchronously while handling the packet that ends it. So remembering the packet being handled, once per
 * connection, lets the `end` listener read the count from the final EOF packet: no per-command wrapper, nothing done
 * per row but one store. If mysql2 ever changes shape nothing is watched and SELECT warnings are simply not reported.
 */
export function watchLastPacket(connection: MysqlDriverConnection): LastPacket {
  const watch: LastPacket = { packet: undefined };
  const target = connection as unknown as { handlePacket?: (packet?: MysqlPacket) => unknown };
  const original = target.handlePacket;
  if (typeof original !== 'function') return watch;
  target.handlePacket = function (this: unknown, packet?: MysqlPacket): unknown {
    watch.packet = packet;
    return original.call(this, packet);
  };
  return watch;
}

/** True when `packet` is an EOF packet (the end of a result set), whose warning count and status can be read. */
export function isEofPacket(packet: MysqlPacket | undefined): packet is MysqlPacket {
  return packet !== undefined && typeof packet.isEOF === 'function' && packet.isEOF();
}
