import { NablaError, excerpt, listExcerpt } from '../errors.js';
import { decompressIfGzipped } from '../io/gzip.js';
import type { Dataset, Task } from './dataset.js';
import { tableDataset, type TableSpec } from './table.js';

/** Options of the CSV reader; every one has a default that reads the shipped files. */
export interface CsvOptions {
  /** Whether the first line is a header: true, false, or 'auto' (a first line with a non-numeric field). */
  header?: boolean | 'auto';
  /**
   * The label column: an index (0-based; negative counts from the end, −1 = last), a header name,
   * or false for inputs without labels (to predict). Default: the last column.
   */
  label?: number | string | false;
  /** 'auto' (the default): integer labels with few distinct values are classes (2 → 'binary'); other numbers regression. */
  task?: Task | 'auto';
  /** Class names in label order: string labels are mapped to these (a test set read like its training set). */
  classNames?: readonly string[];
  /** Number of classes, when integer labels do not show them all. */
  classes?: number;
  /** Name for messages and reports (default: the file). */
  name?: string;
}

/** The largest CSV text `readCsv` takes, inflated: its cells become strings, which cost several times the text. */
export const MAX_CSV_BYTES = 256 * 2 ** 20;

/** Integer labels with at most this many distinct values are read as classes under task 'auto'. */
const MAX_INFERRED_CLASSES = 100;

/**
 * Reads the bytes of a CSV file (gzipped, unpacked through DecompressionStream, or not) as
 * `readCsv` reads the file: what a page does with a file a user drops; `file` names it in errors.
 *
 * @example
 * const ds = await decodeCsv(new Uint8Array(await droppedFile.arrayBuffer()), droppedFile.name);
 */
export async function decodeCsv(bytes: Uint8Array, file: string, options: CsvOptions = {}): Promise<Dataset> {
  return parseCsv(new TextDecoder('utf-8', { fatal: false }).decode(await decompressIfGzipped(bytes, file)), file, options);
}

/** One parsed line of a CSV file and its 1-based line number. */
interface Line {
  number: number;
  fields: string[];
}

/**
 * Calls `visit` with every non-blank line of `text` (CR LF or LF) and its 1-based number. Lines
 * are visited one at a time, never all held at once: the cells of a large file are parsed
 * straight into typed arrays rather than kept as millions of strings.
 */
function eachLine(text: string, visit: (line: string, number: number) => void): void {
  let number = 0;
  for (let at = 0; at <= text.length; ) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    number++;
    const line = text.slice(at, end > at && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    at = end + 1;
    if (line.trim() !== '') visit(line, number);
  }
}

/** The fields of one CSV line (RFC 4180 quotes), trimmed. */
function splitFields(line: string): string[] {
  return line.includes('"') ? splitQuoted(line) : line.split(',').map((f) => f.trim());
}

function splitQuoted(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field.trim());
      field = '';
    } else field += c;
  }
  fields.push(field.trim());
  return fields;
}

/**
 * The number a CSV cell holds, or NaN when it holds none (empty, text, or not finite once stored
 * as float32: 1e39 would become Infinity).
 */
function cellNumber(field: string): number {
  if (field === '') return NaN;
  const v = Number(field);
  return Number.isFinite(Math.fround(v)) ? v : NaN;
}

/** Why a cell is not a number: its excerpt, and the float32 range when it is a number beyond it. */
function notANumber(field: string): string {
  const beyond = Number.isFinite(Number(field)) && field.trim() !== '';
  return `${excerpt(field)} is ${beyond ? 'beyond the float32 range (±3.4e38)' : 'not a number'}`;
}

const isNumeric = (f: string): boolean => !Number.isNaN(cellNumber(f));

/**
 * Parses CSV text as `readCsv` does; `file` names the source in errors.
 *
 * @example
 * const xor = parseCsv('x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n', 'xor.csv'); // task 'binary'
 */
export function parseCsv(text: string, file: string, options: CsvOptions = {}): Dataset {
  // First pass: count the rows and keep the first two lines, which tell a header from data.
  let count = 0;
  const head: Line[] = [];
  eachLine(text, (line, number) => {
    count++;
    if (head.length < 2) head.push({ number, fields: splitFields(line) });
  });
  if (count === 0) throw new NablaError('DATA', `${file}: no rows (the file is empty)`);
  let classNames = options.classNames;
  let columnNames: string[] | null = null;
  let expectedRows: number | null = null;
  let expectedFeatures: number | null = null;
  const first = head[0]!;
  const f = first.fields;
  const second = head[1]?.fields ?? [];
  const width = second.length || f.length;
  // A header has text where the data have numbers (a column of string labels has text in both).
  // (A lone line is a header only when it holds no number at all.)
  const headerLike = count === 1 ? !f.some(isNumeric) : f.length !== width || f.some((x, c) => !isNumeric(x) && isNumeric(second[c] ?? ''));
  // scikit-learn's "rows,features,class names...": told from column names by its counts.
  const sklearn =
    options.header !== false &&
    headerLike &&
    f.length >= 2 &&
    /^\d+$/.test(f[0]!) &&
    /^\d+$/.test(f[1]!) &&
    f.slice(2).every((x) => !isNumeric(x)) &&
    (f.length !== width || (Number(f[0]) === count - 1 && Number(f[1]) === width - 1));
  let skip = 0;
  if (sklearn || options.header === true || (options.header !== false && headerLike && !f.every(isNumeric))) {
    if (sklearn) {
      expectedRows = Number(f[0]);
      expectedFeatures = Number(f[1]);
      if (f.length > 2) classNames ??= f.slice(2);
    } else {
      columnNames = f;
    }
    skip = 1;
  }
  const rows = count - skip;
  if (rows === 0) throw new NablaError('DATA', `${file}: no rows (only a header)`);
  const firstRow = head[skip]!;
  const columns = columnNames?.length ?? firstRow.fields.length;
  const widthSource = columnNames ? `the header on line ${first.number}` : `line ${firstRow.number}`;
  const labelColumn = resolveLabelColumn(options.label ?? -1, columns, columnNames, file);
  const inputSize = labelColumn === null ? columns : columns - 1;
  if (inputSize === 0) throw new NablaError('DATA', `${file}: no input columns besides the label${separatorHint(firstRow.fields.join(','))}`);
  if (expectedFeatures !== null && expectedFeatures !== inputSize) {
    throw new NablaError('DATA', `${file}: the first line announces ${expectedFeatures} features, the rows have ${inputSize}`);
  }
  if (expectedRows !== null && expectedRows !== rows) {
    throw new NablaError('DATA', `${file}: the first line announces ${expectedRows} rows, the file has ${rows}`);
  }
  const columnName = (c: number): string => `column ${c + 1}${columnNames ? ` (${excerpt(columnNames[c]!, "'")})` : ''}`;
  // Second pass: each row's cells straight into the typed arrays.
  const inputs = new Float32Array(rows * inputSize);
  const cells: string[] = [];
  const lineNumbers = new Int32Array(rows);
  let r = -skip;
  eachLine(text, (line, number) => {
    if (r < 0) {
      r++;
      return;
    }
    const fields = splitFields(line);
    if (fields.length !== columns) {
      throw new NablaError('DATA', `${file}: line ${number} has ${fields.length} fields, expected ${columns} (as on ${widthSource})`);
    }
    let k = r * inputSize;
    for (let c = 0; c < columns; c++) {
      if (c === labelColumn) continue;
      const v = cellNumber(fields[c]!);
      if (Number.isNaN(v)) {
        throw new NablaError('DATA', `${file}: line ${number}, ${columnName(c)}: ${notANumber(fields[c]!)}${separatorHint(fields[c]!)}`);
      }
      inputs[k++] = v;
    }
    if (labelColumn !== null) cells.push(fields[labelColumn]!);
    lineNumbers[r++] = number;
  });
  const name = options.name ?? file;
  const spec: TableSpec = { name, inputs, inputSize, targets: null };
  if (labelColumn !== null) {
    const where = (i: number): string => `${file}: line ${lineNumbers[i]}, ${columnName(labelColumn)}`;
    Object.assign(spec, readLabels(cells, where, { ...options, classNames }));
  }
  return tableDataset(spec);
}

/** A hint when text looks separated by something other than commas. */
function separatorHint(text: string): string {
  const sep = [';', '\t', '|'].find((c) => text.includes(c));
  return sep === undefined ? '' : ` (the values look separated by ${JSON.stringify(sep)}; a CSV file here separates them by commas)`;
}

function resolveLabelColumn(label: number | string | false, columns: number, columnNames: string[] | null, file: string): number | null {
  if (label === false) return null;
  if (typeof label === 'string') {
    const c = columnNames?.indexOf(label) ?? -1;
    const again = c >= 0 ? columnNames!.indexOf(label, c + 1) : -1;
    if (again >= 0) {
      throw new NablaError('ARGUMENT', `${file}: label column ${excerpt(label, "'")} names two columns, ${c + 1} and ${again + 1}: give the column's index instead`);
    }
    if (c < 0) {
      const known = columnNames ? `the header has ${listExcerpt(columnNames)}` : 'the file has no header';
      throw new NablaError('ARGUMENT', `${file}: no label column named ${excerpt(label, "'")}: ${known}`);
    }
    return c;
  }
  const c = label < 0 ? columns + label : label;
  if (!Number.isInteger(label) || c < 0 || c >= columns) {
    throw new NablaError('ARGUMENT', `${file}: label column ${label} is outside the ${columns} columns (0..${columns - 1}, or −1 for the last)`);
  }
  return c;
}

/** The targets of `cells`: class labels (integers or names) or regression values. */
function readLabels(
  cells: string[],
  where: (i: number) => string,
  options: CsvOptions,
): Pick<TableSpec, 'targets' | 'classNames'> {
  const empty = cells.indexOf('');
  if (empty >= 0) throw new NablaError('DATA', `${where(empty)}: the label is empty (every row needs one)`);
  const values = cells.map(cellNumber);
  const numeric = values.every((v) => !Number.isNaN(v));
  const task = options.task ?? 'auto';
  if (task === 'regression') {
    const bad = values.findIndex((v) => Number.isNaN(v));
    if (bad >= 0) throw new NablaError('DATA', `${where(bad)}: ${notANumber(cells[bad]!)} (task 'regression' needs numeric targets)`);
    return { targets: { values: Float32Array.from(values), size: 1 } };
  }
  let labels: Int32Array;
  let classNames = options.classNames;
  if (numeric) {
    const bad = values.findIndex((v) => !Number.isInteger(v) || v < 0);
    const distinct = new Set(values).size;
    if (task === 'auto' && (bad >= 0 || distinct > MAX_INFERRED_CLASSES)) return { targets: { values: Float32Array.from(values), size: 1 } };
    if (bad >= 0) {
      throw new NablaError('DATA', `${where(bad)}: label ${cells[bad]!.length > 32 ? excerpt(cells[bad]!) : cells[bad]} is not a class index (a non-negative integer)`);
    }
    labels = Int32Array.from(values);
  } else {
    const known = classNames ?? [...new Set(cells)].sort();
    const index = new Map(known.map((n, i) => [n, i]));
    labels = new Int32Array(cells.length);
    cells.forEach((cell, i) => {
      const k = index.get(cell);
      if (k === undefined) throw new NablaError('DATA', `${where(i)}: label ${excerpt(cell, "'")} is not one of the classes ${listExcerpt(known)}`);
      labels[i] = k;
    });
    classNames = known;
  }
  let maxLabel = 0;
  for (const l of labels) maxLabel = Math.max(maxLabel, l);
  const classes = options.classes ?? classNames?.length ?? maxLabel + 1;
  const out = labels.findIndex((l) => l >= classes);
  if (out >= 0) {
    const names = classNames ? ` (${listExcerpt(classNames)})` : '';
    throw new NablaError('DATA', `${where(out)}: label ${labels[out]} is outside the class range 0..${classes - 1}${names}`);
  }
  const binary = task === 'binary' || (task === 'auto' && classes === 2);
  if (task === 'binary' && classes > 2) throw new NablaError('DATA', `${where(labels.indexOf(maxLabel))}: label ${maxLabel} in data read as 'binary' (labels 0 and 1)`);
  return {
    targets: { labels, task: binary ? 'binary' : 'classification', classes: binary ? 2 : classes },
    classNames: classNames ?? Array.from({ length: classes }, (_, i) => String(i)),
  };
}
