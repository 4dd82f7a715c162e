import { poolKeyOf, type DbConnectionStringBuilder, type HostEndpoint, type SessionPool } from '@asyncdb/core';
import { MysqlConnectionStringBuilder } from './mysql-connection-string-builder.js';
import { mysqlSettings, type MysqlSettings } from './mysql-driver-options.js';

/** What an open needs from its connection string: the provider's settings, and the key of its pool. */
export interface MysqlOpenPlan {
  readonly settings: MysqlSettings;
  /**
   * Core's canonical pool key (`poolKeyOf`): keyword order, synonyms and connection-only keywords (`Command Timeout`…)
   * do not split pools.
   */
  readonly poolKey: string;
  /** The hosts of a `Server` list; undefined for a single server (the common case, opened through core's pool). */
  readonly hostList: readonly HostEndpoint[] | undefined;
  /**
   * Core's pool of this data source once an open took it (`MysqlConnection.sessionPool`): the registry keeps its
   * pools for its life, so it is looked up once.
   */
  pool: SessionPool | undefined;
}

/** Connection strings remembered; an application uses a handful, so the oldest is simply dropped beyond this. */
const LIMIT = 64;

/**
 * Settings and pool key per connection string, as the application wrote it. Deriving them reads a dozen keywords,
 * builds the mysql2 options and prints the canonical string — on every pooled open, for the same few strings. The
 * text fully determines both (the builder is parsed from it with the provider's fixed keyword table), so it is a
 * safe key; a string whose settings are invalid is not cached and fails again on the next open.
 */
export class MysqlSettingsCache {
  readonly #plans = new Map<string, MysqlOpenPlan>();
  /** The plan of each builder core parsed (core keeps one builder per connection string). */
  readonly #byBuilder = new WeakMap<DbConnectionStringBuilder, MysqlOpenPlan>();
  #lastBuilder: DbConnectionStringBuilder | undefined;
  #lastPlan: MysqlOpenPlan | undefined;

  /**
   * The plan of a builder core parsed from a connection string (`OpenContext.builder`): the last one asked for is
   * known by identity, any other with one WeakMap read — an open neither prints nor hashes its connection string.
   */
  planOf(builder: DbConnectionStringBuilder): MysqlOpenPlan {
    if (builder === this.#lastBuilder) return this.#lastPlan!;
    let plan = this.#byBuilder.get(builder);
    if (plan === undefined) {
      plan = this.planFor(builder.connectionString, builder);
      this.#byBuilder.set(builder, plan);
    }
    this.#lastBuilder = builder;
    this.#lastPlan = plan;
    return plan;
  }

  /** The plan for `text`, whose parsed form is `builder`. */
  planFor(text: string, builder: DbConnectionStringBuilder): MysqlOpenPlan {
    const known = this.#plans.get(text);
    if (known !== undefined) return known;
    const mysql =
      builder instanceof MysqlConnectionStringBuilder
        ? builder
        : new MysqlConnectionStringBuilder(builder.connectionString);
    const endpoints = mysql.hostEndpoints;
    const plan: MysqlOpenPlan = {
      settings: mysqlSettings(builder),
      poolKey: poolKeyOf(builder),
      hostList: endpoints.length > 1 ? endpoints : undefined,
      pool: undefined,
    };
    if (this.#plans.size >= LIMIT) this.#plans.delete(this.#plans.keys().next().value!);
    this.#plans.set(text, plan);
    return plan;
  }
}
