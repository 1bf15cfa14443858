import { describe, expect, it } from 'vitest';
import { parseCell, CellError } from '../../db/import/parse-cell.js';
import { parsePersonId } from '../../domain/person-id.js';

const ID_COLUMN = { name: 'person_id', type: 'id', nullable: false } as const;
const SAMPLES = [
  'P00012345', 'p-001', 'SC 2024/0031#7', '943 476 5919', 'Élodie.7', 'A_1:2', '12/345678A', 'x'.repeat(64), 'x'.repeat(65),
  '=1+1', '+44', '-P1', '@SUM(1+1)', ' P1', 'P1\u202E', 'P1\u0000', "O'Brien", 'P1;', '<b>', '{x}', 'P1*', '(P1)', '', 'P£1',
];

describe('one identifier rule for the import and the bot', () => {
  it('accepts in `profile <id>` exactly the ids the import accepts', () => {
    for (const sample of SAMPLES) {
      // Both read the value trimmed; an empty cell is the importer's "required value" check, not this rule.
      const imported = sample.trim() !== '' && !(parseCell(ID_COLUMN, sample) instanceof CellError);
      expect(parsePersonId(sample).kind === 'id', JSON.stringify(sample)).toBe(imported);
    }
  });
});
