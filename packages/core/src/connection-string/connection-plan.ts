import type { DbConnectionStringBuilder } from './connection-string-builder.js';
import type { DbProviderFactory } from '../providers/db-provider-factory.js';

/**
 * What a connection needs from its connection string on every open and every command, computed once per distinct
 * string (and provider factory) and shared by every `DbConnection` that uses it: the parsed builder, the timeouts and
 * the flags. A pooled open creates a `DbConnection` each time and each command read `Command Timeout` again; both
 * were a visible share of the hot path (issue 12, item 2).
 *
 * The builder is shared: core and providers only read it (a provider that needs a variant, as pg's per-host builder,
 * makes its own copy).
 * @internal
 */
export class ConnectionPlan {
  /** The parsed connection string (read-only by convention: it is shared). */
  readonly builder: DbConnectionStringBuilder;
  /** `Command Timeout` in seconds (default 30). */
  readonly commandTimeoutSeconds: number;
  /** `Connect Timeout` in seconds (default 15). */
  readonly connectTimeoutSeconds: number;
  /** `Asynchronous Processing`: the Begin/End methods are allowed. */
  readonly asynchronousProcessing: boolean;
  /** `Persist Security Info`: the password stays readable in `connectionString` after an open. */
  readonly persistSecurityInfo: boolean;
  #withoutSecrets: string | undefined;

  constructor(builder: DbConnectionStringBuilder) {
    this.builder = builder;
    this.commandTimeoutSeconds = builder.getInteger('Command Timeout') ?? 30;
    this.connectTimeoutSeconds = builder.getInteger('Connect Timeout') ?? 15;
    this.asynchronousProcessing = builder.getBoolean('Asynchronous Processing') ?? false;
    this.persistSecurityInfo = builder.getBoolean('Persist Security Info') ?? false;
  }

  /** The connection string without its secrets, printed once. */
  get withoutSecrets(): string {
    return (this.#withoutSecrets ??= this.builder.withoutSecrets());
  }
}

/** Plans per factory, by connection string text. An application uses a handful; the oldest is dropped past the limit. */
const PLANS = new WeakMap<DbProviderFactory, Map<string, ConnectionPlan>>();
/** Distinct connection strings remembered per factory. */
export const CONNECTION_PLAN_LIMIT = 64;

/**
 * The plan of `connectionString` for `factory`: from the cache, else parsed with the factory's builder (whose errors
 * are thrown, and not cached).
 * @internal
 */
export function connectionPlanOf(factory: DbProviderFactory, connectionString: string): ConnectionPlan {
  // The last plan asked for: a loop of `createConnection(sameString)` compares two references, no lookups.
  if (connectionString === lastString && factory === lastFactory) return lastPlan!;
  let plans = PLANS.get(factory);
  if (plans === undefined) {
    plans = new Map();
    PLANS.set(factory, plans);
  }
  let plan = plans.get(connectionString);
  if (plan === undefined) {
    plan = new ConnectionPlan(factory.createConnectionStringBuilder(connectionString));
    if (plans.size >= CONNECTION_PLAN_LIMIT) plans.delete(plans.keys().next().value!);
    plans.set(connectionString, plan);
  }
  lastFactory = factory;
  lastString = connectionString;
  lastPlan = plan;
  return plan;
}

/** The last plan {@link connectionPlanOf} returned, and what it was asked for. */
let lastFactory: DbProviderFactory | undefined;
let lastString: string | undefined;
let lastPlan: ConnectionPlan | undefined;
