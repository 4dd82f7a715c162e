import { checkedCommandType } from './command-settings.js';
import { CommandType } from './command-type.js';
import { DbParameter } from './db-parameter.js';
import { DbParameterCollection } from './db-parameter-collection.js';

let setRecordsAffected: (command: DbBatchCommand, count: number) => void;

/** Sets what {@link DbBatchCommand.recordsAffected} reports. @internal */
export function reportRecordsAffected(command: DbBatchCommand, count: number): void {
  setRecordsAffected(command, count);
}

/**
 * One command of a {@link DbBatch}: its own text, type and parameters (written `@name`, translated for this command
 * alone), and the rows it changed once the batch ran. Mirrors `System.Data.Common.DbBatchCommand`.
 *
 * ```ts
 * const insert = batch.createBatchCommand();
 * insert.commandText = 'INSERT INTO item (name) VALUES (@name)';
 * insert.parameters.addWithValue('@name', 'pen');
 * batch.batchCommands.add(insert);
 * ```
 */
export class DbBatchCommand {
  #commandText = '';
  #commandType: CommandType = CommandType.Text;
  #recordsAffected = -1;
  /** The command's parameters; names are scoped to this command, so two commands may both use `@id`. */
  readonly parameters: DbParameterCollection;
  readonly #createParameter: () => DbParameter;

  static {
    setRecordsAffected = (command, count) => {
      command.#recordsAffected = count;
    };
  }

  /**
   * @param commandText the SQL text (or procedure name).
   * @param createParameter makes the provider's parameter type; a provider factory passes its own.
   */
  constructor(commandText?: string, createParameter: () => DbParameter = () => new DbParameter()) {
    this.#createParameter = createParameter;
    this.parameters = new DbParameterCollection(createParameter);
    if (commandText !== undefined) this.commandText = commandText;
  }

  /** The SQL text, or the stored procedure name. `null` is coerced to ''. */
  get commandText(): string {
    return this.#commandText;
  }
  set commandText(text: string | null | undefined) {
    this.#commandText = text ?? '';
  }

  /** Text (default) or StoredProcedure. */
  get commandType(): CommandType {
    return this.#commandType;
  }
  set commandType(type: CommandType) {
    this.#commandType = checkedCommandType(type);
  }

  /**
   * Rows changed by this command's INSERT/UPDATE/DELETE statements in the batch's last execution; -1 when it changed
   * none (a SELECT, DDL), when it has not run, or when the batch failed before it completed. Updated as the batch's
   * reader moves past the command, final once the reader is closed. Mirrors `DbBatchCommand.RecordsAffected`.
   */
  get recordsAffected(): number {
    return this.#recordsAffected;
  }

  /** Creates a parameter of the provider's type (not added to `parameters`). Mirrors `DbBatchCommand.CreateParameter`. */
  createParameter(): DbParameter {
    return this.#createParameter();
  }
}
