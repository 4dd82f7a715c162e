/** How {@link DbCommand.commandText} is interpreted. Mirrors `System.Data.CommandType`. */
export const CommandType = {
  /** SQL text (the default). */
  Text: 'Text',
  /** The name of a stored procedure (or function) to call with the command's parameters. */
  StoredProcedure: 'StoredProcedure',
} as const;
/** One of the {@link CommandType} values. */
export type CommandType = (typeof CommandType)[keyof typeof CommandType];
