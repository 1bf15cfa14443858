import type { TfdDialect } from '../../db/dialect/dialect.js';
import { dayOf } from '../../domain/days.js';
import {
  endDay,
  EVENT_TYPES,
  GroupBuilder,
  NO_DAY,
  PARTY_ROLES,
  SCHOOL_PHASES,
  TOPAZ_MARKERS,
  type TfdSnapshot,
  type TrainingLabel,
} from '../snapshot/tfd-snapshot.js';
import { labelOfOutcome } from '../../domain/meeting.js';
import { snapshotQueries as q } from '../../db/queries/snapshot-queries.js';

/** A date as the driver returns it: ISO text (SQLite) or a Date (SQL Server). */
type DateCell = string | Date | null;

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
  // Large tables are read as arrays in select order (see snapshot-queries.ts).
  for await (const batch of dialect.streamRows(q.people(db))) {
    for (const [personId, dob, personSex, personEthnicity, decile, areaId] of batch as [string, DateCell, string | null, string | null, number | null, string | null][]) {
      personIndex.set(personId, personIds.length);
      personIds.push(personId);
      birth.push(dayOf(dob));
      if (!dob) withoutBirth++;
      area.push(areaId ? indexOf(areaIds, areaId) : -1);
      sex.push(personSex);
      ethnicity.push(personEthnicity);
      imd.push(decile ?? 0);
    }
  }
  const n = personIds.length;

  const catalogue = await q.catalogue(db).execute();
  const codes = [...new Set(catalogue.map((c) => c.code))];
  const codeSource = codes.map((code) => catalogue.find((c) => c.code === code)!.source);
  const codeIndex = new Map(codes.map((c, i) => [c, i]));
  const supplied = areaIds.map((a) => new Set(catalogue.filter((c) => c.area_id === null || c.area_id === a).map((c) => codeIndex.get(c.code)!)));

  const facts = new GroupBuilder(['code', 'start', 'end', 'value'] as const);
  const unknown = new Map<string, number>();
  for await (const batch of dialect.streamRows(q.facts(db))) {
    for (const [personId, factCode, start, end, value] of batch as [string, string, DateCell, DateCell, number | null][]) {
      const person = personIndex.get(personId);
      if (person === undefined) continue;
      const code = codeIndex.get(factCode);
      if (code === undefined) {
        unknown.set(factCode, (unknown.get(factCode) ?? 0) + 1);
        continue;
      }
      facts.add(person, code, dayOf(start), endDay(end), value ?? Number.NaN);
    }
  }

  const memberships = new GroupBuilder(['family', 'start', 'end'] as const);
  const members = new GroupBuilder(['person', 'start', 'end'] as const);
  const familyIndex = new Map<string, number>();
  for await (const batch of dialect.streamRows(q.memberships(db))) {
    for (const [familyId, personId, startDate, endDate] of batch as [string, string, DateCell, DateCell][]) {
      const person = personIndex.get(personId);
      if (person === undefined) continue;
      let family = familyIndex.get(familyId);
      if (family === undefined) familyIndex.set(familyId, (family = familyIndex.size));
      const start = startDate ? dayOf(startDate) : NO_DAY;
      const end = endDay(endDate);
      memberships.add(person, family, start, end);
      members.add(family, person, start, end);
    }
  }

  const enrolments = new GroupBuilder(['phase', 'start', 'end'] as const);
  for await (const e of q.enrolments(db).stream(CHUNK)) {
    const person = personIndex.get(e.person_id);
    if (person !== undefined) enrolments.add(person, indexOf(SCHOOL_PHASES, e.phase), e.start_date ? dayOf(e.start_date) : NO_DAY, endDay(e.end_date));
  }

  // Police records by index, then their parties grouped by record and by person.
  const eventIndex = new Map<string, number>();
  const locationIndex = new Map<string, number>();
  const eventDay: number[] = [];
  const eventType: number[] = [];
  const eventCse: number[] = [];
  const eventLocation: number[] = [];
  for await (const batch of dialect.streamRows(q.events(db))) {
    for (const [eventId, type, occurredAt, locationId, cse] of batch as [string, string, DateCell, string | null, number | boolean | null][]) {
      eventIndex.set(eventId, eventDay.length);
      eventDay.push(dayOf(occurredAt));
      eventType.push(indexOf(EVENT_TYPES, type));
      eventCse.push(Number(cse ?? 0));
      let location = -1;
      if (locationId) {
        location = locationIndex.get(locationId) ?? locationIndex.size;
        locationIndex.set(locationId, location);
      }
      eventLocation.push(location);
    }
  }
  const events = new GroupBuilder(['type', 'day', 'cse', 'event'] as const);
  const parties = new GroupBuilder(['person', 'role'] as const);
  for await (const batch of dialect.streamRows(q.eventParties(db))) {
    for (const [eventId, personId, role] of batch as [string, string, string][]) {
      const person = personIndex.get(personId);
      const event = eventIndex.get(eventId);
      if (person === undefined || event === undefined) continue;
      events.add(person, eventType[event], eventDay[event], eventCse[event], event);
      parties.add(event, person, indexOf(PARTY_ROLES, role));
    }
  }
  const partiesByEvent = parties.build(eventDay.length, { person: (k) => new Int32Array(k), role: (k) => new Uint8Array(k) }) as unknown as {
    offset: Int32Array;
    person: Int32Array;
    role: Uint8Array;
  };

  const topaz = new GroupBuilder(['marker', 'start', 'end'] as const);
  for (const t of await q.topaz(db).execute()) {
    const person = personIndex.get(t.person_id);
    if (person !== undefined) topaz.add(person, indexOf(TOPAZ_MARKERS, t.marker), dayOf(t.start_date), endDay(t.end_date));
  }

  const startOfService = new Int32Array(n).fill(NO_DAY);
  for (const c of await q.cohort(db).execute()) {
    const person = personIndex.get(c.person_id);
    const day = dayOf(c.start_of_service);
    if (person !== undefined && (startOfService[person] === NO_DAY || day < startOfService[person])) startOfService[person] = day;
  }

  const trainingLabels: TrainingLabel[] = [];
  for (const o of await q.meetingOutcomes(db).execute()) {
    const person = personIndex.get(o.person_id);
    const kind = labelOfOutcome(o.decision, o.outcome);
    if (person !== undefined && kind) trainingLabels.push({ person, day: dayOf(o.meeting_date), kind, source: o.meeting_id, recordedBy: o.recorded_by ?? '' });
  }
  for (const r of await q.notAConcern(db).execute()) {
    const person = personIndex.get(r.person_id);
    if (person !== undefined) trainingLabels.push({ person, day: dayOf(r.responded_at), kind: 'weak_negative', source: `alert ${r.alert_id}`, recordedBy: r.worker_id });
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
    trainingLabels,
    dataQuality: {
      peopleWithoutBirthDate: withoutBirth,
      factsWithUnknownCode: [...unknown.values()].reduce((a, b) => a + b, 0),
      unknownCodes: [...unknown.keys()].slice(0, 20),
      cohortMembersWithoutFacts: cohortWithoutFacts,
    },
  };
}
