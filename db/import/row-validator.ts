import type { TableName, TableSpec } from '../../domain/contract/tables.js';
import type { BundleProblem } from './bundle-problems.js';
import type { CsvRecord } from './csv-reader.js';
import { CellError, parseCell, type CellValue } from './parse-cell.js';

/** Keys seen so far, per table: what foreign keys are checked against. */
export type KeyRegistry = Map<TableName, Set<string>>;

export interface HeaderMapping {
  /** For each contract column, its position in the file (-1: a later column the file leaves out, every cell empty). */
  readonly positions: readonly number[];
  readonly width: number;
}

/** Matches a header row to the contract: any order, names trimmed and case-insensitive. */
export function mapHeader(spec: TableSpec, file: string, header: CsvRecord): HeaderMapping | BundleProblem[] {
  const problems: BundleProblem[] = [];
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const expected = spec.columns.map((c) => c.name);
  names.forEach((name, i) => {
    if (!expected.includes(name)) {
      problems.push({ file, line: header.line, column: i + 1, reason: `unknown column "${header.fields[i]}"; ${spec.name} has ${expected.join(', ')}` });
    } else if (names.indexOf(name) !== i) {
      problems.push({ file, line: header.line, column: i + 1, reason: `column "${name}" appears twice` });
    }
  });
  for (const name of expected) {
    if (!names.includes(name) && spec.columns.find((c) => c.name === name)?.addedIn === undefined) problems.push({ file, line: header.line, column: 0, reason: `missing column "${name}"` });
  }
  if (problems.length > 0) return problems;
  return { positions: expected.map((name) => names.indexOf(name)), width: names.length };
}

export interface RowCheckContext {
  readonly keys: KeyRegistry;
  /** Tables whose own file was refused: references to them are not re-reported. */
  readonly unreadable: ReadonlySet<TableName>;
  /** `YYYY-MM-DD`: a date of birth after it is impossible. */
  readonly today: string;
}

/**
 * Validates one record against its table: types, enums, foreign keys, keys,
 * date order. Returns the values in contract column order, or the problems.
 */
export function makeRowValidator(spec: TableSpec, file: string, mapping: HeaderMapping, context: RowCheckContext) {
  const columns = spec.columns;
  const keyPositions = spec.key?.map((k) => columns.findIndex((c) => c.name === k));
  const seenKeys = spec.key && spec.name !== 'event_party' ? ensureSet(context.keys, spec.name) : undefined;
  const ordered = (spec.ordered ?? []).map(([a, b]) => [columns.findIndex((c) => c.name === a), columns.findIndex((c) => c.name === b)] as const);
  const references = columns.map((c) => (c.references && !context.unreadable.has(c.references) ? ensureSet(context.keys, c.references) : undefined));
  const birth = spec.name === 'person' ? columns.findIndex((c) => c.name === 'date_of_birth') : -1;

  return (record: CsvRecord, problems: BundleProblem[]): CellValue[] | null => {
    const fields = record.fields;
    if (fields.length !== mapping.width) {
      problems.push({ file, line: record.line, column: 0, reason: `row has ${fields.length} fields; the header has ${mapping.width}` });
      return null;
    }
    const values: CellValue[] = new Array(columns.length);
    let ok = true;
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i];
      const at = mapping.positions[i];
      const raw = at < 0 ? '' : fields[at];
      if (raw === '' || (column.type !== 'text' && raw.trim() === '')) {
        if (!column.nullable) {
          problems.push({ file, line: record.line, column: at + 1, reason: `${column.name} is required but empty` });
          ok = false;
        }
        values[i] = null;
        continue;
      }
      const value = parseCell(column, raw);
      if (value instanceof CellError) {
        problems.push({ file, line: record.line, column: at + 1, reason: `${column.name}: ${value.reason}` });
        ok = false;
        continue;
      }
      const referenced = references[i];
      if (referenced && !referenced.has(value as string)) {
        problems.push({ file, line: record.line, column: at + 1, reason: `${column.name} "${value}" is not in ${column.references}.csv` });
        ok = false;
      }
      values[i] = value;
    }
    if (!ok) return null;
    for (const [a, b] of ordered) {
      const start = values[a];
      const end = values[b];
      if (start !== null && end !== null && (end as string) < (start as string)) {
        const at = mapping.positions[b];
        problems.push({ file, line: record.line, column: at + 1, reason: `${columns[b].name} ${end} is before ${columns[a].name} ${start}` });
        ok = false;
      }
    }
    if (birth >= 0 && values[birth] !== null && (values[birth] as string) > context.today) {
      problems.push({ file, line: record.line, column: mapping.positions[birth] + 1, reason: `date_of_birth ${values[birth]} is in the future` });
      ok = false;
    }
    if (ok && seenKeys && keyPositions) {
      const key = keyPositions.length === 1 ? (values[keyPositions[0]] as string) : keyPositions.map((p) => values[p] ?? '').join('\u0000');
      if (seenKeys.has(key)) {
        const shown = keyPositions.map((p) => `${columns[p].name}=${values[p] ?? ''}`).join(', ');
        problems.push({ file, line: record.line, column: mapping.positions[keyPositions[0]] + 1, reason: `duplicate key (${shown}) already defined earlier in the file` });
        ok = false;
      } else {
        seenKeys.add(key);
      }
    }
    return ok ? values : null;
  };
}

function ensureSet(keys: KeyRegistry, table: TableName): Set<string> {
  let set = keys.get(table);
  if (!set) keys.set(table, (set = new Set()));
  return set;
}
