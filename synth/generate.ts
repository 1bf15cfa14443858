import { UserFacingError } from '../domain/errors.js';
import { BundleWriter } from './bundle-writer.js';
import { parseIsoDate } from '../domain/dates.js';
import { DIFFICULTIES, DIFFICULTY, type DifficultyName } from './difficulty.js';
import { dayOf, DAYS_PER_YEAR, isoDate, nextSeptember, type Day } from './calendar.js';
import { CommunityOutput, type PartyRole } from './community-output.js';
import { generateExploitation, type ExploitationResult } from './exploitation.js';
import { generateLifeCourses } from './life-course.js';
import { expectedCommunitySize, generateCommunity, type Community, type SynthPerson } from './population.js';
import { writeReferenceData } from './reference.js';
import type { Rng } from '../domain/rng.js';
import { areaOfCommunity, planWorld, schoolFor, staffFor, worldRng, type World } from './world.js';

export interface SynthOptions {
  readonly people: number;
  readonly seed: number;
  readonly out: string;
  /** Last day of recorded data. @defaultValue '2025-12-31' */
  readonly end?: string;
  /** Years of history before `end`. @defaultValue 10 */
  readonly years?: number;
  /** Over-recording of ASB and offences for `biasGroup` (1 = off). @defaultValue 1 */
  readonly recordingBias?: number;
  /** How hard the world is to read (synth/difficulty.ts). @defaultValue 'standard' */
  readonly difficulty?: DifficultyName;
  /** `column=value` on person, e.g. `ethnicity=Black`. @defaultValue 'ethnicity=Black' */
  readonly biasGroup?: string;
  /** Exploiters per 1,000 people before deprivation. @defaultValue 0.9 */
  readonly exploitersPerThousand?: number;
  readonly onProgress?: (peopleDone: number, people: number) => void;
}

export interface SynthSummary {
  readonly rows: Record<string, number>;
  readonly victims: number;
  readonly knownToService: number;
  readonly exploiters: number;
}

export class SynthOptionsError extends UserFacingError {
  constructor(message: string) {
    super(message);
  }
}

/** Writes a deterministic synthetic bundle, one neighbourhood at a time (memory stays flat). */
export function generateBundle(options: SynthOptions): SynthSummary {
  if (!Number.isInteger(options.people) || options.people < 100) throw new SynthOptionsError('--people must be a whole number of at least 100');
  if ((options.recordingBias ?? 1) < 1) throw new SynthOptionsError('--recording-bias must be at least 1 (1 = off): it adds records, it never removes them');
  const bias = parseBiasGroup(options.biasGroup ?? 'ethnicity=Black');
  const difficultyName = options.difficulty ?? 'standard';
  if (!(DIFFICULTIES as readonly string[]).includes(difficultyName)) throw new SynthOptionsError(`--difficulty must be one of ${DIFFICULTIES.join(', ')}`);
  const difficulty = DIFFICULTY[difficultyName];
  const endDate = parseIsoDate(options.end ?? '2025-12-31');
  if (!endDate.ok) throw new SynthOptionsError(`--end: ${endDate.reason}`);
  const end = dayOf(endDate.value);
  const start = end - Math.round((options.years ?? 10) * DAYS_PER_YEAR);
  const world = planWorld(options.people, options.seed);
  const out = new BundleWriter(options.out);
  const counters = { nextPerson: 1, nextFamily: 1, nextEvent: 1 };
  const totals = { victims: 0, known: 0, exploiters: 0 };
  try {
    writeReferenceData(world, out);
    let done = 0;
    for (let c = 0; c < world.communities; c++) {
      const rng = worldRng(world, 1, c);
      const size = expectedCommunitySize(options.people, c, world.communities);
      const community = generateCommunity(c, areaOfCommunity(world, c), size, end, rng, counters);
      const events = new CommunityOutput(out, community, rng, counters, end);
      generateLifeCourses(community, events, rng, {
        start,
        end,
        biasFactor: options.recordingBias ?? 1,
        biasRng: worldRng(world, 2, c),
        biasApplies: (p) => bias(p),
        difficulty,
      });
      const exploitation = generateExploitation(community, events, rng, { start, end, exploitersPerThousand: options.exploitersPerThousand ?? 0.9, difficulty });
      if (c === 0 || rng.chance(0.01)) bigIncidentSeries(community, events, rng, start, end);
      writePeople(world, community, exploitation, out, rng, start, end);
      totals.victims += exploitation.victims.length;
      totals.known += exploitation.victims.filter((v) => v.startOfService !== undefined && v.startOfService <= end).length;
      totals.exploiters += community.people.filter((p) => p.exploiter).length;
      done += size;
      options.onProgress?.(done, options.people);
    }
  } finally {
    out.close();
  }
  return { rows: out.counts(), victims: totals.victims, knownToService: totals.known, exploiters: totals.exploiters };
}

function parseBiasGroup(spec: string): (p: SynthPerson) => boolean {
  const m = /^(sex|ethnicity)=(.+)$/.exec(spec);
  if (!m) throw new SynthOptionsError(`--bias-group "${spec}" must be sex=<value> or ethnicity=<value>`);
  const [, column, value] = m;
  return (p) => (column === 'sex' ? p.sex : p.ethnicity) === value;
}

/**
 * A large public-order incident recorded three times with the same crowd: if
 * every party were linked, it would make a clique of up to 150 strangers.
 */
function bigIncidentSeries(community: Community, out: CommunityOutput, rng: Rng, start: Day, end: Day): void {
  const crowd = new Set<number>();
  const target = Math.min(community.people.length, 30 + rng.int(121));
  while (crowd.size < target) crowd.add(rng.int(community.people.length));
  const day = start + rng.int(end - start - 30);
  const place = rng.pick(community.places);
  for (let k = 0; k < 3; k++) {
    const parties = [...crowd].map((p) => [p, rng.chance(0.8) ? 'involved' : 'witness'] as [number, PartyRole]);
    out.event(k === 1 ? 'crime' : 'call_card', day + k * (1 + rng.int(5)), place, false, parties);
  }
}

function writePeople(world: World, community: Community, exploitation: ExploitationResult, out: BundleWriter, rng: Rng, start: Day, end: Day): void {
  const area = community.area;
  for (const place of community.places) out.row('location', place, rng.pick(['park', 'shop', 'transport', 'address']), community.lsoa, area.areaId);
  for (const family of community.families) out.row('location', family.home, 'address', community.lsoa, area.areaId);

  for (const p of community.people) {
    out.row('person', p.id, isoDate(p.birth), p.sex, p.ethnicity, community.imd, area.areaId);
    const family = community.families[p.family];
    const isChild = family.children.includes(p.index);
    const role = isChild ? 'child' : family.children.length > 0 ? 'parent' : 'other_adult';
    const joined = isChild ? p.birth : family.formed;
    // An adult's care spell happened before they formed this household; a child's interrupts it.
    const careInterrupts = p.careFrom !== undefined && isChild && p.careFrom >= joined;
    out.row('family_membership', family.id, p.id, role, isoDate(joined), careInterrupts ? isoDate(p.careFrom!) : null);
    if (p.careFrom !== undefined) {
      out.row('family_membership', `FC${p.id.slice(1)}`, p.id, 'child', isoDate(p.careFrom), p.careTo! <= end ? isoDate(p.careTo!) : null);
      const carer = community.people[rng.int(community.people.length)];
      if (carer.birth < p.careFrom - 25 * 365) out.row('family_membership', `FC${p.id.slice(1)}`, carer.id, 'carer', isoDate(p.careFrom), p.careTo! <= end ? isoDate(p.careTo!) : null);
      if (careInterrupts && p.careTo! < end && p.careTo! < p.birth + 18 * DAYS_PER_YEAR) out.row('family_membership', family.id, p.id, role, isoDate(p.careTo!), null);
      involvement(out, p, 'social_care', staffFor(area, 'social_care', community.index, rng), 'allocated social worker', p.careFrom, p.careTo!, end);
    }
    enrolments(community, p, out, rng, start, end);
    if (isChild && p.risk > 1.6 && rng.chance(0.35)) {
      const from = Math.max(p.birth, end - rng.int(3 * 365));
      const agency = area.areaId === 'A1' && rng.chance(0.5) ? 'early_help' : 'social_care';
      involvement(out, p, agency, staffFor(area, agency, community.index, rng), 'lead professional', from, from + 200 + rng.int(900), end);
    }
  }

  const victims = new Map(exploitation.victims.map((v) => [v.person, v]));
  for (const v of exploitation.victims) {
    const p = community.people[v.person];
    if (v.startOfService !== undefined && v.startOfService <= end) {
      const until = v.startOfService + 180 + rng.int(360);
      out.row('base_cohort', p.id, isoDate(v.startOfService), until <= end ? isoDate(until) : null);
      involvement(out, p, 'base', staffFor(area, 'base', community.index, rng), 'exploitation worker', v.startOfService, until, end);
    }
    if (v.topazFrom !== undefined && v.topazFrom <= end) {
      out.row('topaz_marker', p.id, 'victim', isoDate(v.topazFrom), null, null);
      involvement(out, p, 'police', staffFor(area, 'police', community.index, rng), 'Topaz officer', v.topazFrom, end + 1, end);
    }
  }
  for (const e of exploitation.exploiters) {
    if (e.topazFrom !== undefined && e.topazFrom <= end) {
      out.row('topaz_marker', community.people[e.person].id, rng.chance(0.7) ? 'suspect' : 'associate', isoDate(e.topazFrom), null, 'Op Topaz nominal');
    }
  }
  for (const p of community.people) {
    const v = victims.get(p.index);
    out.row('truth', p.id, v ? 1 : 0, v ? isoDate(v.onset) : null, p.exploiter ? 1 : 0);
  }
}

function involvement(out: BundleWriter, p: SynthPerson, agency: string, worker: string, role: string, from: Day, to: Day, end: Day): void {
  if (from > end) return;
  out.row('agency_involvement', p.id, agency, worker, role, isoDate(from), to <= end ? isoDate(Math.max(from, to)) : null);
}

function enrolments(community: Community, p: SynthPerson, out: BundleWriter, rng: Rng, start: Day, end: Day): void {
  const sept = (age: number) => nextSeptember(p.birth + Math.round(age * DAYS_PER_YEAR));
  const stages: ['primary' | 'secondary' | 'college', number, number][] = [
    ['primary', sept(4), sept(11) - 40],
    ['secondary', sept(11), sept(16) - 40],
  ];
  if (rng.chance(0.5)) stages.push(['college', sept(16), sept(18) - 40]);
  for (const [phase, from, to] of stages) {
    if (from > end || to < start) continue;
    const school = p.risk > 2.6 && phase === 'secondary' && rng.chance(0.3) ? community.area.schools.alternative[0] : schoolFor(community.area, phase, community.index, rng);
    out.row('school_enrolment', p.id, school, isoDate(from), to <= end ? isoDate(to) : null);
  }
}
