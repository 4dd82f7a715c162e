import type { EngineEvent, TdsMessage } from '../engine-types.js';
import type { KillStatement, PrintStatement, RaiserrorStatement, ThrowStatement, WaitforStatement } from '../tsql/ast.js';
import { TsqlError } from '../tsql/tsql-error.js';
import { displayText, evaluate, evaluateAll } from './evaluate.js';
import { StatementFailure } from './failure.js';
import type { Flow, Frame } from './frame.js';
import { formatRaiserror } from './raiserror-format.js';
import type { SessionHost } from './session-host.js';

function located(frame: Frame, line: number): Pick<TdsMessage, 'lineNumber' | 'procName'> {
  return frame.procName === undefined ? { lineNumber: line } : { lineNumber: line, procName: frame.procName };
}

/** PRINT expr → an INFO message (number 0, severity 0). */
export async function print(host: SessionHost, frame: Frame, statement: PrintStatement): Promise<EngineEvent> {
  const value = await evaluate(host, frame, statement.expression);
  return { kind: 'message', message: { number: 0, state: 1, severity: 0, message: displayText(value), ...located(frame, statement.line) } };
}

/**
 * RAISERROR(msg, severity, state, args…): severity ≤ 10 is an INFO message; higher is an error (number
 * 50000) after which the batch continues, as in SQL Server (or control moves to CATCH).
 */
export async function raiserror(host: SessionHost, frame: Frame, statement: RaiserrorStatement): Promise<EngineEvent[]> {
  const [msg = null, severityValue = null, stateValue = null, ...args] = await evaluateAll(host, frame, statement.args);
  const severity = Math.min(25, Math.max(0, Math.trunc(Number(severityValue ?? 16))));
  const rawState = Math.trunc(Number(stateValue ?? 1));
  const state = rawState < 0 || rawState > 255 ? 1 : rawState;
  let message: TdsMessage;
  if (typeof msg === 'number') {
    message = {
      number: 18054,
      state: 1,
      severity: 16,
      message: `Error ${msg}, severity ${severity}, state ${state} was raised, but no message with that error number was found in sys.messages. If error is larger than 50000, make sure the user-defined message is added using sp_addmessage.`,
      ...located(frame, statement.line),
    };
  } else {
    message = { number: 50000, state, severity, message: formatRaiserror(displayText(msg), args), ...located(frame, statement.line) };
  }
  if (message.severity <= 10) return [{ kind: 'message', message }];
  throw new StatementFailure(message, true);
}

/** THROW number, message, state (severity 16, ends the batch); a bare THROW rethrows inside CATCH. */
export async function throwError(host: SessionHost, frame: Frame, statement: ThrowStatement): Promise<Flow> {
  if (statement.args.length === 0) {
    if (frame.caught === undefined) throw new TsqlError(10704, 'To rethrow an error, a THROW statement must be used inside a CATCH block.', statement.line);
    throw new StatementFailure(frame.caught);
  }
  if (statement.args.length !== 3) throw new TsqlError(102, "Incorrect syntax near 'THROW'.", statement.line);
  const [number = null, text = null, state = null] = await evaluateAll(host, frame, statement.args);
  const errorNumber = Math.trunc(Number(number));
  if (!(errorNumber >= 50000)) {
    throw new TsqlError(35100, `Error number ${errorNumber} in the THROW statement is outside the valid range. Specify an error number in the valid range of 50000 to 2147483647.`, statement.line);
  }
  throw new StatementFailure({ number: errorNumber, state: Math.trunc(Number(state ?? 1)), severity: 16, message: displayText(text), ...located(frame, statement.line) });
}

/**
 * KILL spid: terminates that session's PostgreSQL backend (waiting up to 5 s for it to go). The TDS session
 * of a killed backend fails its next request with a fatal error (596).
 */
export async function kill(host: SessionHost, frame: Frame, statement: KillStatement): Promise<void> {
  const spid = Math.trunc(Number(await evaluate(host, frame, statement.expression)));
  if (spid === host.runner.pid) throw new TsqlError(6104, 'Cannot use KILL to kill your own process.', statement.line);
  const result = await host.runner.command('SELECT pg_terminate_backend($1, 5000)', [String(spid)]);
  if (result.rows[0]?.[0] !== 't') throw new TsqlError(6106, `Process ID ${spid} is not an active process ID.`, statement.line);
}

/** Seconds in 'hh:mm[:ss[.fff]]'. */
function clockSeconds(text: string, line: number): number {
  const match = /^\s*(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,3}))?)?\s*$/.exec(text);
  if (match === null) throw new TsqlError(148, `Incorrect time syntax in time string '${text}' used with WAITFOR.`, line);
  const [, h, m, s = '0', ms = '0'] = match;
  return Number(h) * 3600 + Number(m) * 60 + Number(s) + Number(ms.padEnd(3, '0')) / 1000;
}

/**
 * WAITFOR DELAY 'hh:mm:ss[.fff]' (or TIME 'hh:mm:ss', the next such UTC time of day) as `pg_sleep` on the
 * session's backend, so ATTENTION cancels it like any statement.
 */
export async function waitfor(host: SessionHost, frame: Frame, statement: WaitforStatement): Promise<void> {
  const text = displayText(await evaluate(host, frame, statement.expression));
  let seconds = clockSeconds(text, statement.line);
  if (statement.mode === 'time') {
    const now = new Date();
    const current = now.getUTCHours() * 3600 + now.getUTCMinutes() * 60 + now.getUTCSeconds() + now.getUTCMilliseconds() / 1000;
    seconds = (seconds - current + 86400) % 86400;
  }
  // The comment names the command in sys.dm_exec_requests.
  await host.runner.query('/* WAITFOR */ SELECT pg_sleep($1)', [String(seconds)]);
}
