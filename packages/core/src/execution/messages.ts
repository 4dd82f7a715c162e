/**
 * The messages core's guards throw, worded as ADO.NET words them (System.Data `system.data.txt`), so .NET
 * engineers recognise them and searches find them.
 * @internal
 */
export const Messages = {
  connectionRequired: (method: string) => `${method}: Connection property has not been initialized.`,
  openConnectionRequired: (method: string, state: string) =>
    `${method} requires an open and available Connection. The connection's current state is ${state.toLowerCase()}.`,
  asyncConnectionRequired: () =>
    'This command requires an asynchronous connection. Set "Asynchronous Processing=true" in the connection string.',
  pendingBeginExists: () =>
    'The command execution cannot proceed due to a pending asynchronous operation already in progress.',
  openReaderExists: () =>
    'There is already an open DataReader associated with this Connection which must be closed first.',
  marsUnsupported: () =>
    'The connection does not support MultipleActiveResultSets. Another command is executing on it; wait for it to finish.',
  transactionRequired: (method: string) =>
    `${method} requires the command to have a transaction when the connection assigned to the command is in a pending local transaction. The Transaction property of the command has not been initialized.`,
  transactionMismatch: () =>
    'The transaction is either not associated with the current connection or has been completed.',
  commandTextRequired: (method: string) => `${method}: CommandText property has not been initialized`,
  invalidCommandBehavior: (value: number) => `The CommandBehavior enumeration value, ${value}, is invalid.`,
  noConnectionString: () => 'The ConnectionString property has not been initialized.',
  connectionAlreadyOpen: (state: string) =>
    `The connection was not closed. The connection's current state is ${state.toLowerCase()}.`,
  openConnectionPropertySet: (property: string, state: string) =>
    `Not allowed to change the '${property}' property. The connection's current state is ${state.toLowerCase()}.`,
  connectionClosed: () => 'Invalid operation. The connection is closed.',
  connectionLost: (cause: unknown) =>
    `A transport-level error has occurred: the session with the server was lost${cause instanceof Error && cause.message ? ` (${cause.message})` : ''}.`,
  parallelTransactions: (provider: string) => `${provider} does not support parallel transactions.`,
  transactionZombied: () => 'This transaction has completed; it is no longer usable.',
  incorrectAsyncResult: () => 'Incorrect async result.',
  mismatchedAsyncResult: (expected: string, called: string) =>
    `Mismatched end method call for asyncResult. Expected call to ${expected} but ${called} was called instead.`,
  calledTwice: (method: string) => `The method '${method}' cannot be called more than once for the same execution.`,
  cannotModifyDuringAsync: (property: string) => `${property} cannot be changed while async operation is in progress.`,
  operationCancelled: () => 'Operation cancelled by user.',
  commandTimeout: (seconds: number) =>
    `Execution Timeout Expired. The timeout period (${seconds} s) elapsed prior to completion of the operation or the server is not responding.`,
  connectTimeout: (seconds: number) =>
    `Connection Timeout Expired. The timeout period (${seconds} s) elapsed while attempting to open the connection.`,
  readerClosed: (method: string) => `Invalid attempt to call ${method} when reader is closed.`,
  noData: () => 'Invalid attempt to read when no data is present.',
  nonXmlResult: () => 'Invalid command sent to ExecuteXmlReader. The command must return an Xml result.',
  sequentialAccess: (ordinal: number, next: number) =>
    `Invalid attempt to read from column ordinal '${ordinal}'. With CommandBehavior.SequentialAccess, you may only read from column ordinal '${next}' or greater.`,
  commandTextWhileReaderOpen: () => 'Cannot change CommandText while a DataReader is open on this command.',
  connectionWhileReaderOpen: () => 'Cannot change the Connection while a DataReader is open on this command.',
} as const;
