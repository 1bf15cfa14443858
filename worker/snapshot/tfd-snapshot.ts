import { dayOf, NO_DAY, OPEN_END } from '../../domain/days.js';
import type { LabelKind } from '../../domain/meeting.js';

/**
 * The TFD as the scoring code sees it: people by index, and every per-person
 * record grouped by person in flat typed arrays (`xOffset[p]..xOffset[p+1]`).
 * Sex, ethnicity and IMD are here only for the bias audit: feature code never
 * reads them (a test checks).
 */
export interface TfdSnapshot {
  readonly personIds: readonly string[];
  readonly personIndex: ReadonlyMap<string, number>;
  readonly birth: Int32Array;
  readonly area: Int32Array;
  readonly areaIds: readonly string[];
  readonly audit: { readonly sex: readonly (string | null)[]; readonly ethnicity: readonly (string | null)[]; readonly imd: Int8Array };

  readonly codes: readonly string[];
  /** The source (police, health, …) each code comes from, by code index. */
  readonly codeSource: readonly string[];
  /** Per area index: the code indexes that area's sources supply. */
  readonly supplied: readonly ReadonlySet<number>[];
  readonly facts: Grouped<{ code: Uint16Array; start: Int32Array; end: Int32Array; value: Float32Array }>;

  /** Family memberships, and each family's members, with their dates. */
  readonly memberships: Grouped<{ family: Int32Array; start: Int32Array; end: Int32Array }>;
  readonly familyMembers: Grouped<{ person: Int32Array; start: Int32Array; end: Int32Array }>;

  readonly enrolments: Grouped<{ phase: Uint8Array; start: Int32Array; end: Int32Array }>;
  /** Police records a person is party to. */
  readonly events: Grouped<{ type: Uint8Array; day: Int32Array; cse: Uint8Array; event: Int32Array }>;
  /** Police records by index, with their parties grouped by record (for network inference). */
  readonly eventTable: {
    readonly day: Int32Array;
    readonly type: Uint8Array;
    readonly cse: Uint8Array;
    /** Location index, or -1. */
    readonly location: Int32Array;
    readonly partyOffset: Int32Array;
    readonly partyPerson: Int32Array;
    readonly partyRole: Uint8Array;
  };
  readonly locationIds: readonly string[];
  readonly topaz: Grouped<{ marker: Uint8Array; start: Int32Array; end: Int32Array }>;
  /** Earliest start of service with the exploitation service, NO_DAY if none. */
  readonly startOfService: Int32Array;
  /**
   * Outcomes recorded by the meeting and answers on alerts, as labels for
   * training only (matchedTrainingRows): never read by feature code, so the
   * model cannot learn "was discussed at a meeting".
   */
  readonly trainingLabels?: readonly TrainingLabel[];
  readonly dataQuality: DataQuality;
}

/** One label with its provenance: which meeting (or alert) and who recorded it. */
export interface TrainingLabel {
  readonly person: number;
  readonly day: number;
  readonly kind: LabelKind;
  readonly source: string;
  readonly recordedBy: string;
}

export interface DataQuality {
  peopleWithoutBirthDate: number;
  factsWithUnknownCode: number;
  unknownCodes: string[];
  cohortMembersWithoutFacts: number;
}

export type Grouped<T> = T & { readonly offset: Int32Array };

export const SCHOOL_PHASES = ['primary', 'secondary', 'special', 'alternative', 'college'] as const;
export const EVENT_TYPES = ['crime', 'intelligence', 'missing_report', 'call_card'] as const;
export const PARTY_ROLES = ['victim', 'offender', 'suspect', 'witness', 'subject', 'missing_person', 'reporter', 'involved'] as const;
export const TOPAZ_MARKERS = ['victim', 'suspect', 'associate', 'location_of_concern'] as const;

/** Collects rows in any order, then groups them by person (a counting sort). */
export class GroupBuilder<K extends string> {
  private readonly owner: number[] = [];
  private readonly columns: number[][];
  constructor(private readonly names: readonly K[]) {
    this.columns = names.map(() => []);
  }
  /** Values in the order the names were given (positional: no object per row). */
  add(owner: number, v0: number, v1 = 0, v2 = 0, v3 = 0): void {
    this.owner.push(owner);
    const c = this.columns;
    c[0].push(v0);
    if (c.length > 1) c[1].push(v1);
    if (c.length > 2) c[2].push(v2);
    if (c.length > 3) c[3].push(v3);
  }
  build(owners: number, make: Record<K, (n: number) => Int32Array | Uint16Array | Uint8Array | Float32Array>): Grouped<Record<K, ArrayLike<number>>> {
    const offset = new Int32Array(owners + 1);
    for (const o of this.owner) offset[o + 1]++;
    for (let i = 0; i < owners; i++) offset[i + 1] += offset[i];
    const cursor = offset.slice(0, owners);
    // Where each row lands once, then each column copied in one tight loop.
    const place = new Int32Array(this.owner.length);
    for (let i = 0; i < this.owner.length; i++) place[i] = cursor[this.owner[i]]++;
    const out = {} as Record<K, ArrayLike<number>>;
    this.names.forEach((name, k) => {
      const target = make[name](this.owner.length);
      const source = this.columns[k];
      for (let i = 0; i < source.length; i++) target[place[i]] = source[i];
      out[name] = target;
    });
    return Object.assign(out, { offset });
  }
}

export const endDay = (iso: string | Date | null) => (iso ? dayOf(iso) : OPEN_END);
export { NO_DAY };
