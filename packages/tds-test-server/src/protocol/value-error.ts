/**
 * A value the engine produced does not fit the column it described (wrong JS type, out of range,
 * too long). The request ends with an ERROR token naming the column; the connection stays usable.
 */
export class ValueEncodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValueEncodeError';
  }
}
