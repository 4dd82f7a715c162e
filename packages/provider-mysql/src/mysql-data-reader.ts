import { DbDataReader } from '@asyncdb/core';

/**
 * The reader of a {@link MysqlCommand}: streams rows with backpressure (the socket is paused while the reader is
 * behind), one result set per statement of the batch. All behaviour is core's {@link DbDataReader}.
 */
export class MysqlDataReader extends DbDataReader {}
