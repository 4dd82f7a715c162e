import { DbBatchCommand } from './db-batch-command.js';
import { ArgumentError, IndexOutOfRangeError } from '../errors/errors.js';

/**
 * The commands of a {@link DbBatch}, in the order they run. Mirrors `DbBatchCommandCollection`. A command object may
 * appear once per collection.
 */
export class DbBatchCommandCollection implements Iterable<DbBatchCommand> {
  readonly #items: DbBatchCommand[] = Array();
  readonly #createCommand: (commandText?: string) => DbBatchCommand;

  /** @param createCommand makes the provider's batch command for {@link DbBatchCommandCollection.add} with a text. */
  constructor(createCommand: (commandText?: string) => DbBatchCommand = (text) => new DbBatchCommand(text)) {
    this.#createCommand = createCommand;
  }

  /** The number of commands. */
  get count(): number {
    return this.#items.length;
  }

  /**
   * Adds a command and returns it. Given a text, creates the command (of the provider's type) first:
   * `batch.batchCommands.add('DELETE FROM log').parameters…`.
   */
  add(commandOrText: DbBatchCommand | string): DbBatchCommand {
    const command = typeof commandOrText === 'string' ? this.#createCommand(commandOrText) : commandOrText;
    this.#checkNew(command);
    this.#items.push(command);
    return command;
  }

  /** Adds several commands. */
  addRange(commands: Iterable<DbBatchCommand>): void {
    for (const command of commands) this.add(command);
  }

  /** Inserts a command at an index (0…count). */
  insert(index: number, command: DbBatchCommand): void {
    if (!Number.isInteger(index) || index < 0 || index > this.#items.length) {
      throw new IndexOutOfRangeError(`Index ${index} is out of range (0…${this.#items.length}).`, 'index');
    }
    this.#checkNew(command);
    this.#items.splice(index, 0, command);
  }

  /** The command at an index; throws IndexOutOfRangeError when there is none. */
  get(index: number): DbBatchCommand {
    const command = Number.isInteger(index) ? this.#items[index] : undefined;
    if (!command)
      throw new IndexOutOfRangeError(`Index ${index} is out of range (0…${this.#items.length - 1}).`, 'index');
    return command;
  }

  /** Replaces the command at an index. */
  set(index: number, command: DbBatchCommand): void {
    this.get(index);
    if (this.#items[index] === command) return;
    this.#checkNew(command);
    this.#items[index] = command;
  }

  /** The index of a command, or -1. */
  indexOf(command: DbBatchCommand | null | undefined): number {
    return command ? this.#items.indexOf(command) : -1;
  }

  /** True when the collection holds the command. */
  contains(command: DbBatchCommand | null | undefined): boolean {
    return this.indexOf(command) >= 0;
  }

  /** Removes a command; resolves false when it was not in the collection (as `ICollection<T>.Remove`). */
  remove(command: DbBatchCommand): boolean {
    const index = this.indexOf(command);
    if (index < 0) return false;
    this.#items.splice(index, 1);
    return true;
  }

  /** Removes the command at an index. */
  removeAt(index: number): void {
    this.get(index);
    this.#items.splice(index, 1);
  }

  /** Removes every command. */
  clear(): void {
    this.#items.length = 0;
  }

  /** The commands, in order. */
  toArray(): DbBatchCommand[] {
    return [...this.#items];
  }

  [Symbol.iterator](): Iterator<DbBatchCommand> {
    return this.#items[Symbol.iterator]();
  }

  #checkNew(command: DbBatchCommand): void {
    if (!(command instanceof DbBatchCommand))
      throw new ArgumentError('The command must be a DbBatchCommand.', 'command');
    if (this.#items.includes(command)) throw new ArgumentError('The command is already in this collection.', 'command');
  }
}
