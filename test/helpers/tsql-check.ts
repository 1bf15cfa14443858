import NodeSqlParser from 'node-sql-parser';

const parser = new NodeSqlParser.Parser();

/** Functions SQLite has and SQL Server does not (or spells differently). */
const SQLITE_ONLY_FUNCTIONS = new Set([
  'strftime', 'julianday', 'date', 'datetime', 'time', 'unixepoch', 'ifnull', 'group_concat', 'substr', 'instr',
  'printf', 'random', 'randomblob', 'zeroblob', 'total', 'length', 'json_extract', 'json_group_array', 'last_insert_rowid', 'changes',
]);

/** Constructs the parser lets through but SQL Server rejects. */
const SQLITE_ONLY_TEXT: [RegExp, string][] = [
  [/`/, 'backtick identifiers'],
  [/\binsert\s+or\s+(ignore|replace)\b/i, 'INSERT OR IGNORE/REPLACE (use MERGE or NOT EXISTS)'],
  [/\bon\s+conflict\b/i, 'ON CONFLICT'],
  [/\breturning\b/i, 'RETURNING (use OUTPUT)'],
  [/\bautoincrement\b/i, 'AUTOINCREMENT (use IDENTITY)'],
  [/\bpragma\b/i, 'PRAGMA'],
  [/\bwithout\s+rowid\b/i, 'WITHOUT ROWID'],
  [/\|\|/, '|| concatenation (use + or CONCAT)'],
  [/\blimit\s+(\d|@|\?)/i, 'LIMIT (use TOP or OFFSET … FETCH)'],
  [/\balter\s+table\s+\S+\s+add\s+column\b/i, 'ADD COLUMN (T-SQL writes ALTER TABLE … ADD)'],
];

function functionNames(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const child of node) functionNames(child, out);
  else if (node && typeof node === 'object') {
    const n = node as Record<string, unknown>;
    if (n.type === 'function' || n.type === 'aggr_func') {
      const name = n.name as unknown;
      if (typeof name === 'string') out.push(name);
      else if (name && typeof name === 'object' && Array.isArray((name as { name?: unknown }).name)) {
        out.push(((name as { name: { value: string }[] }).name).map((p) => p.value).join('.'));
      }
    }
    for (const value of Object.values(n)) functionNames(value, out);
  }
  return out;
}

/**
 * Problems that make `text` invalid T-SQL, or [] when it passes: parsed as
 * transactsql (with @N parameters replaced by numbers, which the parser
 * needs), exactly one statement of the expected type, no LIMIT node, no
 * SQLite-only function or construct.
 */
export function tsqlProblems(text: string, expectedType: string): string[] {
  const problems: string[] = [];
  for (const [pattern, what] of SQLITE_ONLY_TEXT) if (pattern.test(text)) problems.push(`SQLite-only construct: ${what}`);
  let ast: unknown;
  try {
    ast = parser.astify(text.replace(/@(\d+)/g, '$1'), { database: 'transactsql' });
  } catch (error) {
    return [...problems, `does not parse as T-SQL: ${(error as Error).message.split('\n')[0]}`];
  }
  const statements = Array.isArray(ast) ? ast : [ast];
  if (statements.length !== 1) problems.push(`expected one statement, found ${statements.length}`);
  const statement = statements[0] as { type?: string; limit?: { value?: unknown[] } };
  if (statement.type !== expectedType) problems.push(`expected a ${expectedType} statement, found ${statement.type}`);
  if (statement.limit?.value && statement.limit.value.length > 0) problems.push('SQLite-only construct: LIMIT');
  for (const name of functionNames(statement)) if (SQLITE_ONLY_FUNCTIONS.has(name.toLowerCase())) problems.push(`SQLite-only function ${name}()`);
  return problems;
}
