import type { TdsValue } from '../engine-types.js';
import { displayText } from './evaluate.js';

/**
 * Formats a RAISERROR message the way SQL Server does (a printf subset): `%d`/`%i`/`%u`, `%s`, `%x`/`%X`,
 * `%o`, with flags (`-`, `+`, `0`, space, `#`), width and precision (`*` reads them from the arguments),
 * and `%%`. A missing argument prints `(null)`.
 */
export function formatRaiserror(template: string, args: readonly TdsValue[]): string {
  let next = 0;
  const take = (): TdsValue | undefined => args[next++];
  return template.replace(/%([-+ 0#]*)(\*|\d+)?(?:\.(\*|\d+))?(?:h|l|I64)?([diuosxX%])/g, (_match, flags: string, width?: string, precision?: string, kind?: string) => {
    if (kind === '%') return '%';
    const widthValue = width === '*' ? Number(take() ?? 0) : width === undefined ? 0 : Number(width);
    const precisionValue = precision === '*' ? Number(take() ?? 0) : precision === undefined ? undefined : Number(precision);
    const value = take();
    let text: string;
    if (value === undefined || value === null) text = '(null)';
    else if (kind === 's') text = displayText(value);
    else {
      const n = Math.trunc(Number(value));
      if (kind === 'x') text = (n >>> 0).toString(16);
      else if (kind === 'X') text = (n >>> 0).toString(16).toUpperCase();
      else if (kind === 'o') text = (n >>> 0).toString(8);
      else if (kind === 'u') text = String(n >>> 0);
      else text = String(n);
      if (flags.includes('+') && n >= 0 && (kind === 'd' || kind === 'i')) text = `+${text}`;
      else if (flags.includes(' ') && n >= 0 && (kind === 'd' || kind === 'i')) text = ` ${text}`;
      if (flags.includes('#') && n !== 0 && (kind === 'x' || kind === 'X')) text = `0${kind}${text}`;
    }
    if (kind === 's' && precisionValue !== undefined) text = text.slice(0, precisionValue);
    if (text.length < widthValue) {
      const fill = flags.includes('0') && !flags.includes('-') && kind !== 's' ? '0' : ' ';
      text = flags.includes('-') ? text.padEnd(widthValue, ' ') : text.padStart(widthValue, fill);
    }
    return text;
  });
}
