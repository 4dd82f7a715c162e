import { TdsEngineError, type TdsMessage } from '../engine/engine-types.js';
import { ProtocolError } from '../protocol/protocol-error.js';
import { ValueEncodeError } from '../protocol/value-error.js';

/** SQL Server's number for "the incoming TDS stream is incorrect" (sent for requests the server cannot read). */
export const MALFORMED_REQUEST_ERROR = 8009;
/** The number used for failures that are not SQL Server errors (engine bugs, encoding failures). */
export const INTERNAL_ERROR = 50000;
/** Login failed. */
export const LOGIN_FAILED_ERROR = 18456;

/** Turns whatever a request failed with into the message its ERROR token carries. */
export function toTdsMessage(error: unknown): TdsMessage {
  if (error instanceof TdsEngineError) return error.tdsMessage;
  if (error instanceof ProtocolError) {
    return {
      number: MALFORMED_REQUEST_ERROR,
      state: 1,
      severity: 16,
      message: `The incoming tabular data stream (TDS) protocol stream is incorrect: ${error.message}`,
    };
  }
  if (error instanceof ValueEncodeError) {
    return {
      number: INTERNAL_ERROR,
      state: 1,
      severity: 16,
      message: `TDS test server cannot encode a value: ${error.message}`,
    };
  }
  const text = error instanceof Error ? error.message : String(error);
  return { number: INTERNAL_ERROR, state: 1, severity: 16, message: `TDS test server engine failure: ${text}` };
}

/** True when an error is expected (TdsEngineError) rather than a sign of a bug worth logging. */
export function isExpectedError(error: unknown): boolean {
  return error instanceof TdsEngineError;
}
