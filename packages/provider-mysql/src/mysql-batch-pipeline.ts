import type { MysqlDriverConnection } from './mysql-driver.js';
import {
  canPipelineOn,
  collectCommands,
  pipelineCommands,
  type PipelinedCommand,
  type PipelineStep,
} from './mysql-command-pipeline.js';
import type { MysqlStatementStream } from './mysql-statement-stream.js';

/** MariaDB's statement id for "the statement this session prepared last" (COM_STMT_EXECUTE, MariaDB 10.2+). */
export const LAST_PREPARED_STATEMENT_ID = 0xffffffff;

/** One statement of a pipelined batch: its text, its values (`undefined`: the text protocol) and its stream. */
export interface PipelinedStatement {
  readonly text: string;
  readonly values: readonly unknown[] | undefined;
  readonly stream: MysqlStatementStream;
}

/** The mysql2 members the planner reads besides the pipeline's (not in mysql2's typings). */
interface Mysql2Statements {
  readonly _statements?: { get(key: string): unknown };
  readonly constructor: { statementKey?(options: { sql: string }): string };
  prepare(sql: string, callback: (error: Error | null) => void): unknown;
}

/** The commands of one statement as mysql2 makes them: `[Query]`, or `[Prepare, Execute]`. */
interface StatementCommands {
  readonly statement: PipelinedStatement;
  readonly commands: PipelinedCommand[];
}

/**
 * Sends the statements of a batch in as few round trips as the server allows, their replies read in order into
 * their streams:
 *
 * - statements without values are COM_QUERY packets; statements with values are COM_STMT_EXECUTE of a statement
 *   prepared earlier on the session (mysql2's per-session cache);
 * - on MariaDB, a statement not prepared yet is `COM_STMT_PREPARE` immediately followed by `COM_STMT_EXECUTE` with
 *   statement id {@link LAST_PREPARED_STATEMENT_ID} ("the statement just prepared"), so it needs no round trip of its
 *   own — the whole batch is **one** write and one round trip. mysql2 reads the PREPARE reply and caches the
 *   statement, so the next batch executes it by id;
 * - on MySQL (no such id), and on MariaDB for a text prepared earlier in the same batch with another prepared since
 *   (its id is not known before its reply), the texts not prepared yet are prepared first, all in one write: two
 *   round trips for a batch with new texts, one once they are cached.
 *
 * A text whose separate PREPARE fails is not sent: its statements' streams end with that error. A batch cancelled
 * while its texts are prepared is not sent at all (`cancelled`). Falls back to queueing the commands in mysql2 one after another (a round trip each, same replies)
 * when the connection is not idle or mysql2 does not look as expected.
 */
export function sendPipelinedBatch(
  driver: MysqlDriverConnection,
  statements: readonly PipelinedStatement[],
  mariadb: boolean,
  attach: (statement: PipelinedStatement, command: PipelinedCommand) => void,
  cancelled: () => boolean,
): void {
  const connection = driver as unknown as Mysql2Statements;
  const keyOf = (sql: string): string => connection.constructor.statementKey?.({ sql }) ?? sql;
  const cached = (sql: string): boolean => connection._statements?.get(keyOf(sql)) !== undefined;
  if (!canPipelineOn(driver) || typeof connection.constructor.statementKey !== 'function') {
    for (const statement of statements) attach(statement, startQueued(driver, statement));
    return;
  }
  const toPrepare = textsToPrepareFirst(statements, mariadb, cached);
  if (toPrepare.length === 0) {
    sendAll(driver, statements, cached, attach, new Map());
    return;
  }
  const failures = new Map<string, Error>();
  let pending = toPrepare.length;
  const send = (): void => {
    // The connection was lost while the texts were prepared: nothing more is sent.
    if (statements.every(({ stream }) => stream.finished)) return;
    if (cancelled()) {
      // Cancelled while the texts were prepared: the batch itself is never sent.
      const error = new Error('The batch was cancelled before it was sent.');
      for (const { stream } of statements) stream.finish({ kind: 'error', error });
      return;
    }
    if (canPipelineOn(driver)) sendAll(driver, statements, cached, attach, failures);
    else for (const statement of statements) attach(statement, startQueued(driver, statement));
  };
  const prepared = (): void => {
    // Called while mysql2 still holds the last PREPARE as its running command: write once it has let go of it.
    if (--pending === 0) queueMicrotask(send);
  };
  const prepares = collectCommands(driver, () => {
    for (const text of toPrepare)
      connection.prepare(text, (error) => {
        if (error) failures.set(text, error);
        prepared();
      });
  });
  pipelineCommands(
    driver,
    prepares.map((command) => ({ command })),
  );
}

/**
 * The texts that must be prepared before the batch is written: every uncached text on MySQL; on MariaDB only a text
 * that comes back after another text was prepared in between (the id -1 then names the other one).
 */
function textsToPrepareFirst(
  statements: readonly PipelinedStatement[],
  mariadb: boolean,
  cached: (sql: string) => boolean,
): string[] {
  const first = new Set<string>();
  let last: string | undefined;
  const seen = new Set<string>();
  for (const { text, values } of statements) {
    if (values === undefined || cached(text)) continue;
    if (!mariadb) first.add(text);
    else if (seen.has(text) && text !== last) first.add(text);
    seen.add(text);
    last = text;
  }
  return [...first];
}

/** Collects every statement's commands, decides which PREPAREs are written, and writes them all in one go. */
function sendAll(
  driver: MysqlDriverConnection,
  statements: readonly PipelinedStatement[],
  cached: (sql: string) => boolean,
  attach: (statement: PipelinedStatement, command: PipelinedCommand) => void,
  failures: ReadonlyMap<string, Error>,
): void {
  const planned: StatementCommands[] = [];
  for (const statement of statements) {
    const failure = failures.get(statement.text);
    if (failure !== undefined) {
      statement.stream.finish({ kind: 'error', error: failure });
      continue;
    }
    const warm = statement.values === undefined || cached(statement.text);
    const commands = collectCommands(driver, () => {
      startQueued(driver, statement);
    });
    planned.push({ statement, commands });
    if (!warm) markLastPrepared(commands);
  }
  const expected = (entry: StatementCommands): number => (entry.statement.values === undefined ? 1 : 2);
  if (planned.some((entry) => entry.commands.length !== expected(entry))) {
    // mysql2 made other commands than the pipeline knows: queue them as they are, answered one at a time.
    const queue = driver as unknown as { addCommand(command: PipelinedCommand): unknown };
    for (const { statement, commands } of planned) {
      for (const command of commands) queue.addCommand(command);
      attach(statement, commands[commands.length - 1]!);
    }
    return;
  }
  const steps: PipelineStep[] = [];
  let lastPrepared: string | undefined;
  for (const { statement, commands } of planned) {
    const main = commands[commands.length - 1]!;
    if (commands.length === 2) {
      const prepare = commands[0]!;
      const warm = (main as { statement?: { id?: number } }).statement?.id !== LAST_PREPARED_STATEMENT_ID;
      // A text prepared just before (by the previous PREPARE of this batch) is executed as -1 again, unprepared.
      const repeat = !warm && lastPrepared === statement.text;
      steps.push({ command: prepare, skip: repeat });
      if (!warm) lastPrepared = statement.text;
    }
    steps.push({ command: main });
    attach(statement, main);
  }
  if (steps.length > 0) pipelineCommands(driver, steps);
}

/** Points the Execute of an uncached text at "the statement just prepared" (its PREPARE is written right before it). */
function markLastPrepared(commands: readonly PipelinedCommand[]): void {
  const execute = commands[1] as { statement?: unknown } | undefined;
  if (execute !== undefined) execute.statement = { id: LAST_PREPARED_STATEMENT_ID, parameters: undefined };
}

/** Starts a statement the ordinary way (mysql2 queues it; used by the fallback and to make the commands). */
function startQueued(driver: MysqlDriverConnection, statement: PipelinedStatement): PipelinedCommand {
  const command =
    statement.values === undefined ? driver.query(statement.text) : driver.execute(statement.text, statement.values);
  return command as unknown as PipelinedCommand;
}
