/**
 * The one error class of Nabla. Every user mistake ends in a NablaError whose message names the
 * file, field, shape or value at fault and what was expected; the CLI prints `message` alone
 * (no stack trace) and exits non-zero.
 */
export type NablaErrorCode =
  | 'SHAPE' // a matrix or tensor of the wrong shape
  | 'ARGUMENT' // a bad option or argument value
  | 'UNKNOWN_NAME' // an unknown activation, cost, optimizer, schedule, backend ...
  | 'FILE' // a missing or unreadable file
  | 'FORMAT' // a file whose bytes are not what its format says
  | 'DATA' // data whose content is wrong (labels out of range, non-numeric cell ...)
  | 'NUMERIC' // a NaN or infinity appeared
  | 'RESUME' // a checkpoint that does not belong to the run asked to continue from it
  | 'BACKEND'; // a kernel backend could not start

export class NablaError extends Error {
  readonly code: NablaErrorCode;
  constructor(code: NablaErrorCode, message: string) {
    super(message);
    this.name = 'NablaError';
    this.code = code;
  }
}

/** Throws a NablaError listing the valid names when `name` is not a key of `table`. */
export function lookup<T>(table: Readonly<Record<string, T>>, name: string, what: string): T {
  if (Object.prototype.hasOwnProperty.call(table, name)) return table[name] as T;
  throw new NablaError('UNKNOWN_NAME', `unknown ${what} ${excerpt(name, "'")}: expected one of ${Object.keys(table).join(', ')}`);
}

/**
 * `text` quoted for an error message (JSON's double quotes, `'…'` with quote "'", bare with ''), cut to its
 * first `max` characters so a message never echoes a megabyte cell: `"abcdef…" (1,048,576 characters)`.
 *
 * @example
 * excerpt('x'.repeat(1e6)); // '"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…" (1,000,000 characters)'
 */
export function excerpt(text: string, quote: '"' | "'" | '' = '"', max = 32): string {
  const short = text.length <= max ? text : `${text.slice(0, max)}…`;
  const quoted = quote === '"' ? JSON.stringify(short) : `${quote}${short}${quote}`;
  return text.length <= max ? quoted : `${quoted} (${text.length.toLocaleString('en-US')} characters)`;
}

/**
 * Names listed for an error message, each quoted by `excerpt`, at most `max` of them:
 * `'a', 'b', 'c' and 997 more`.
 *
 * @example
 * listExcerpt(['setosa', 'versicolor', 'virginica']); // "'setosa', 'versicolor', 'virginica'"
 */
export function listExcerpt(names: readonly string[], quote: '"' | "'" = "'", max = 8): string {
  const shown = names.slice(0, max).map((n) => excerpt(n, quote)).join(', ');
  return names.length > max ? `${shown} and ${(names.length - max).toLocaleString('en-US')} more` : shown;
}
