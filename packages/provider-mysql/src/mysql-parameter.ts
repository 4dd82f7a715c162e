import { DbParameter } from '@asyncdb/core';

/**
 * A parameter of a {@link MysqlCommand}. Values are always sent as bound parameters of a server-side prepared
 * statement; see the README for how each JS type and `dbType` is sent.
 */
export class MysqlParameter extends DbParameter {}
