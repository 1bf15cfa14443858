import type { TfdDialect } from '../dialect/dialect.js';
import { dayOf } from '../../worker/snapshot/days.js';
import {
  endDay,
  EVENT_TYPES,
  GroupBuilder,
  NO_DAY,
  PARTY_ROLES,
  SCHOOL_PHASES,
  TOPAZ_MARKERS,
  type TfdSnapshot,
} from '../../worker/snapshot/tfd-snapshot.js';
import { snapshotQueries as q } from '../queries/snapshot-queries.js';

const CHUNK = 20_000;
const indexOf = (list: readonly string[], value: string) => list.indexOf(value);

/** Streams the TFD into a scoring snapshot; rows become domain data here, once. */
export async function loadSnapshot(dialect: TfdDialect): Promise<TfdSnapshot> {
  const db = dialect.db;
  const areaIds = (await q.areas(db).execute()).map((a) => a.area_id);
  const personIds: string[] = [];
  const personIndex = new Map<string, number>();
  const birth: number[] = [];
  const area: number[] = [];
  const sex: (string | null)[] = [];
  const ethnicity: (string | null)[] = [];
  const imd: number[] = [];
  let withoutBirth = 0;
  for await (const p of q.people(db).stream(CHUNK)) {
    personIndex.set(p.person_id, personIds.length);
    personIds.push(p.person_id);
    birth.push(dayOf(p.date_of_birth));
    if (!p.date_of_birth) withoutBirth++;
    area.push(p.area_id ? indexOf(areaIds, p.area_id) : -1);
    sex.push(p.sex);
    ethnicity.push(p.ethnicity);
    imd.push(p.imd_decile ?? 0);
  }
  const n = personIds.length;

  const catalogue = await q.catalogue(db).execute();
  const codes = [...new Set(catalogue.map((c) => c.code))];
  const codeSource = codes.map((code) => catalogue.find((c) => c.code === code)!.source);
  const codeIndex = new Map(codes.map((c, i) => [c, i]));
  const supplied = areaIds.map((a) => new Set(catalogue.filter((c) => c.area_id === null || c.area_id === a).map((c) => codeIndex.get(c.code)!)));

  const facts = new GroupBuilder(['code', 'start', 'end', 'value'] as const);
  const unknown = new Map<string, number>();
  for await (const f of q.facts(db).stream(CHUNK)) {
    const person = personIndex.get(f.person_id);
    if (person === undefined) continue;
    const code = codeIndex.get(f.code);
    if (code === undefined) {
      unknown.set(f.code, (unknown.get(f.code) ?? 0) + 1);
      continue;
    }
    facts.add(person, { code, start: dayOf(f.start_date), end: endDay(f.end_date), value: f.value ?? Number.NaN });
  }

  const memberships = new GroupBuilder(['family', 'start', 'end'] as const);
  const members = new GroupBuilder(['person', 'start', 'end'] as const);
  const familyIndex = new Map<string, number>();
  for await (const m of q.memberships(db).stream(CHUNK)) {
    const person = personIndex.get(m.person_id);
    if (person === undefined) continue;
    let family = familyIndex.get(m.family_id);
    if (family === undefined) familyIndex.set(m.family_id, (family = familyIndex.size));
    const start = m.start_date ? dayOf(m.start_date) : NO_DAY;
    const end = endDay(m.end_date);
    memberships.add(person, { family, start, end });
    members.add(family, { person, start, end });
  }

  const enrolments = new GroupBuilder(['phase', 'start', 'end'] as const);
  for await (const e of q.enrolments(db).stream(CHUNK)) {
    const person = personIndex.get(e.person_id);
    if (person !== undefined) enrolments.add(person, { phase: indexOf(SCHOOL_PHASES, e.phase), start: e.start_date ? dayOf(e.start_date) : NO_DAY, end: endDay(e.end_date) });
  }

  // Police records by index, then their parties grouped by record and by person.
  const eventIndex = new Map<string, number>();
  const locationIndex = new Map<string, number>();
  const eventDay: number[] = [];
  const eventType: number[] = [];
  const eventCse: number[] = [];
  const eventLocation: number[] = [];
  for await (const e of q.events(db).stream(CHUNK)) {
    eventIndex.set(e.event_id, eventDay.length);
    eventDay.push(dayOf(e.occurred_at));
    eventType.push(indexOf(EVENT_TYPES, e.event_type));
    eventCse.push(Number(e.cse_flag ?? 0));
    let location = -1;
    if (e.location_id) {
      location = locationIndex.get(e.location_id) ?? locationIndex.size;
      locationIndex.set(e.location_id, location);
    }
    eventLocation.push(location);
  }
  const events = new GroupBuilder(['type', 'day', 'cse', 'event'] as const);
  const parties = new GroupBuilder(['person', 'role'] as const);
  for await (const p of q.eventParties(db).stream(CHUNK)) {
    const person = personIndex.get(p.person_id);
    const event = eventIndex.get(p.event_id);
    if (person === undefined || event === undefined) continue;
    events.add(person, { type: eventType[event], day: eventDay[event], cse: eventCse[event], event });
    parties.add(event, { person, role: indexOf(PARTY_ROLES, p.role) });
  }
  const partiesByEvent = parties.build(eventDay.length, { person: (k) => new Int32Array(k), role: (k) => new Uint8Array(k) }) as unknown as {
    offset: Int32Array;
    person: Int32Array;
    role: Uint8Array;
  };

  const topaz = new GroupBuilder(['marker', 'start', 'end'] as const);
  for (const t of await q.topaz(db).execute()) {
    const person = personIndex.get(t.person_id);
    if (person !== undefined) topaz.add(person, { marker: indexOf(TOPAZ_MARKERS, t.marker), start: dayOf(t.start_date), end: endDay(t.end_date) });
  }

  const startOfService = new Int32Array(n).fill(NO_DAY);
  for (const c of await q.cohort(db).execute()) {
    const person = personIndex.get(c.person_id);
    const day = dayOf(c.start_of_service);
    if (person !== undefined && (startOfService[person] === NO_DAY || day < startOfService[person])) startOfService[person] = day;
  }

  const i32 = (k: number) => new Int32Array(k);
  const factGroups = facts.build(n, { code: (k) => new Uint16Array(k), start: i32, end: i32, value: (k) => new Float32Array(k) }) as TfdSnapshot['facts'];
  let cohortWithoutFacts = 0;
  for (let p = 0; p < n; p++) if (startOfService[p] !== NO_DAY && factGroups.offset[p + 1] === factGroups.offset[p]) cohortWithoutFacts++;

  return {
    personIds,
    personIndex,
    birth: Int32Array.from(birth),
    area: Int32Array.from(area),
    areaIds,
    audit: { sex, ethnicity, imd: Int8Array.from(imd) },
    codes,
    codeSource,
    supplied,
    facts: factGroups,
    memberships: memberships.build(n, { family: i32, start: i32, end: i32 }) as TfdSnapshot['memberships'],
    familyMembers: members.build(familyIndex.size, { person: i32, start: i32, end: i32 }) as TfdSnapshot['familyMembers'],
    enrolments: enrolments.build(n, { phase: (k) => new Uint8Array(k), start: i32, end: i32 }) as TfdSnapshot['enrolments'],
    events: events.build(n, { type: (k) => new Uint8Array(k), day: i32, cse: (k) => new Uint8Array(k), event: i32 }) as TfdSnapshot['events'],
    eventTable: {
      day: Int32Array.from(eventDay),
      type: Uint8Array.from(eventType),
      cse: Uint8Array.from(eventCse),
      location: Int32Array.from(eventLocation),
      partyOffset: partiesByEvent.offset,
      partyPerson: partiesByEvent.person,
      partyRole: partiesByEvent.role,
    },
    locationIds: [...locationIndex.keys()],
    topaz: topaz.build(n, { marker: (k) => new Uint8Array(k), start: i32, end: i32 }) as TfdSnapshot['topaz'],
    startOfService,
    dataQuality: {
      peopleWithoutBirthDate: withoutBirth,
      factsWithUnknownCode: [...unknown.values()].reduce((a, b) => a + b, 0),
      unknownCodes: [...unknown.keys()].slice(0, 20),
      cohortMembersWithoutFacts: cohortWithoutFacts,
    },
  };
}
