/**
 * The Think Family data contract (shared/tfd-contract.md) as data: the one
 * description that the migrations, the bundle import and the synthetic
 * generator all read, so the three cannot drift apart.
 */

import { ID_MAX_LENGTH } from '../person-id.js';
import { STAFF_ROLES } from '../roles.js';

export type ColumnType = 'id' | 'text' | 'enum' | 'date' | 'timestamp' | 'bool' | 'int' | 'real';

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  /** NULL (an empty cell) is accepted. */
  readonly nullable: boolean;
  /** For `enum`: the accepted values, compared trimmed and case-insensitively. */
  readonly values?: readonly string[];
  /** For `int` / `real`: inclusive bounds. */
  readonly min?: number;
  readonly max?: number;
  /** A foreign key: the value must be a key of this table (checked when not NULL). */
  readonly references?: TableName;
  /** Longest accepted text, in characters. */
  readonly maxLength?: number;
  /** A column the contract gained later: a bundle may leave it out (every cell empty), and the migration named here adds it. */
  readonly addedIn?: string;
}

export interface TableSpec {
  readonly name: TableName;
  readonly columns: readonly ColumnSpec[];
  /** Columns whose values together must be unique within the table. */
  readonly key?: readonly string[];
  /** Pairs of date columns where the second must not precede the first. */
  readonly ordered?: readonly (readonly [string, string])[];
  /** Indexes for the access paths (besides the key). */
  readonly indexes?: readonly (readonly string[])[];
}

export const TABLE_NAMES = [
  'area',
  'school',
  'location',
  'indicator_catalogue',
  'person',
  'staff',
  'family_membership',
  'school_enrolment',
  'agency_involvement',
  'indicator_fact',
  'event',
  'event_party',
  'base_cohort',
  'topaz_marker',
] as const;

export type TableName = (typeof TABLE_NAMES)[number];

export const TEXT_MAX_LENGTH = 400;

const id = (name: string, references?: TableName, nullable = false): ColumnSpec => ({
  name,
  type: 'id',
  nullable,
  references,
  maxLength: ID_MAX_LENGTH,
});
const text = (name: string, nullable = true): ColumnSpec => ({ name, type: 'text', nullable, maxLength: TEXT_MAX_LENGTH });
const oneOf = (name: string, values: readonly string[], nullable = false): ColumnSpec => ({ name, type: 'enum', nullable, values });
const date = (name: string, nullable: boolean): ColumnSpec => ({ name, type: 'date', nullable });

export const SCHOOL_PHASES = ['primary', 'secondary', 'special', 'alternative', 'college'] as const;
export const INDICATOR_KINDS = ['event', 'state'] as const;
export const FAMILY_ROLES = ['child', 'parent', 'carer', 'sibling', 'other_adult'] as const;
export const EVENT_TYPES = ['crime', 'intelligence', 'missing_report', 'call_card'] as const;
export const PARTY_ROLES = [
  'victim',
  'offender',
  'suspect',
  'witness',
  'subject',
  'missing_person',
  'reporter',
  'involved',
] as const;
export const TOPAZ_MARKERS = ['victim', 'suspect', 'associate', 'location_of_concern'] as const;

export const CONTRACT: Readonly<Record<TableName, TableSpec>> = {
  area: { name: 'area', columns: [id('area_id'), text('name', false)], key: ['area_id'] },
  school: {
    name: 'school',
    columns: [id('school_id'), text('name', false), oneOf('phase', SCHOOL_PHASES), id('area_id', 'area')],
    key: ['school_id'],
  },
  location: {
    name: 'location',
    columns: [id('location_id'), text('kind'), text('lsoa'), id('area_id', 'area', true)],
    key: ['location_id'],
  },
  indicator_catalogue: {
    name: 'indicator_catalogue',
    columns: [id('code'), text('label', false), text('source', false), oneOf('kind', INDICATOR_KINDS), id('area_id', 'area', true)],
    key: ['code', 'area_id'],
  },
  person: {
    name: 'person',
    columns: [
      id('person_id'),
      date('date_of_birth', true),
      text('sex'),
      text('ethnicity'),
      { name: 'imd_decile', type: 'int', nullable: true, min: 1, max: 10 },
      id('area_id', 'area', true),
    ],
    key: ['person_id'],
  },
  staff: {
    name: 'staff',
    columns: [
      id('worker_id'),
      text('display_name', false),
      text('email'),
      id('aad_object_id', undefined, true),
      text('agency'),
      oneOf('role', STAFF_ROLES),
      id('school_id', 'school', true),
      // Empty, or the column absent (older bundles), = every area of the partnership.
      { ...id('area_id', 'area', true), addedIn: '2026-12-08T0017-meeting-areas' },
    ],
    key: ['worker_id'],
    indexes: [['aad_object_id']],
  },
  family_membership: {
    name: 'family_membership',
    columns: [id('family_id'), id('person_id', 'person'), oneOf('role', FAMILY_ROLES), date('start_date', true), date('end_date', true)],
    ordered: [['start_date', 'end_date']],
    indexes: [['person_id'], ['family_id']],
  },
  school_enrolment: {
    name: 'school_enrolment',
    columns: [id('person_id', 'person'), id('school_id', 'school'), date('start_date', true), date('end_date', true)],
    ordered: [['start_date', 'end_date']],
    indexes: [['person_id'], ['school_id']],
  },
  agency_involvement: {
    name: 'agency_involvement',
    columns: [
      id('person_id', 'person'),
      text('agency', false),
      id('worker_id', undefined, true),
      text('role'),
      date('start_date', true),
      date('end_date', true),
    ],
    ordered: [['start_date', 'end_date']],
    indexes: [['person_id'], ['worker_id']],
  },
  indicator_fact: {
    name: 'indicator_fact',
    // `code` is deliberately not a foreign key: a code missing from the
    // catalogue is a data-quality finding for the scoring run, not a reason to
    // refuse a whole export.
    columns: [id('person_id', 'person'), id('code'), date('start_date', false), date('end_date', true), { name: 'value', type: 'real', nullable: true }],
    ordered: [['start_date', 'end_date']],
    indexes: [['person_id', 'start_date'], ['code', 'start_date']],
  },
  event: {
    name: 'event',
    columns: [
      id('event_id'),
      oneOf('event_type', EVENT_TYPES),
      { name: 'occurred_at', type: 'timestamp', nullable: false },
      id('location_id', 'location', true),
      { name: 'cse_flag', type: 'bool', nullable: true },
    ],
    key: ['event_id'],
    indexes: [['occurred_at']],
  },
  event_party: {
    name: 'event_party',
    columns: [id('event_id', 'event'), id('person_id', 'person'), oneOf('role', PARTY_ROLES)],
    key: ['event_id', 'person_id', 'role'],
    indexes: [['person_id']],
  },
  base_cohort: {
    name: 'base_cohort',
    columns: [id('person_id', 'person'), date('start_of_service', false), date('end_of_service', true)],
    key: ['person_id', 'start_of_service'],
    ordered: [['start_of_service', 'end_of_service']],
  },
  topaz_marker: {
    name: 'topaz_marker',
    columns: [id('person_id', 'person'), oneOf('marker', TOPAZ_MARKERS), date('start_date', false), date('end_date', true), text('note')],
    ordered: [['start_date', 'end_date']],
    indexes: [['person_id']],
  },
};

/** `truth.csv`: written by synthetic generators, read only by evaluation, never imported. */
export const TRUTH_COLUMNS = ['person_id', 'exploited', 'exploitation_start', 'exploiter'] as const;

export const columnNames = (table: TableName): string[] => CONTRACT[table].columns.map((c) => c.name);
