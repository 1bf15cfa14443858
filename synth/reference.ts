import type { BundleWriter } from './bundle-writer.js';
import { csvField } from './bundle-writer.js';
import { CATALOGUE } from './catalogue.js';
import type { World } from './world.js';
import { worldRng } from './world.js';

const SCHOOL_NAMES = ['Hillside', 'St Anne’s', 'Riverside', 'Oakfield', 'Castle', 'Parkway', 'Brook', 'Meadow', 'Ashton', 'Fairfield', 'Kingsway', 'Redland'];
const FIRST = ['Alex', 'Sam', 'Jordan', 'Priya', 'Tom', 'Aisha', 'Chris', 'Nia', 'Ben', 'Fatima', 'Ellie', 'Kwame', 'Rosa', 'Dan'];
const LAST = ['Smith', 'Khan', 'Jones', 'Okafor', 'Taylor', 'Patel', 'Brown', 'Williams', 'Evans', 'Ahmed', 'Clarke', 'Hughes'];
const HOTSPOT_KINDS = ['hotel', 'park', 'shop', 'transport', 'address'] as const;

/** Areas, schools, hotspot locations, the catalogue and staff: small tables written first. */
export function writeReferenceData(world: World, out: BundleWriter): void {
  const rng = worldRng(world, 0x5eed);
  for (const area of world.areas) {
    out.row('area', area.areaId, csvField(area.name));
    for (const [phase, ids] of Object.entries(area.schools)) {
      for (const id of ids) {
        const suffix = { primary: 'Primary School', secondary: 'Academy', special: 'Special School', alternative: 'Learning Centre', college: 'College' }[phase];
        out.row('school', id, csvField(`${rng.pick(SCHOOL_NAMES)} ${suffix} (${id})`), phase, area.areaId);
      }
    }
    for (const id of area.hotspots) out.row('location', id, rng.pick(HOTSPOT_KINDS), `${area.areaId}-LSOA-HOT`, area.areaId);
  }
  for (const entry of CATALOGUE) {
    if (entry.areas === undefined) out.row('indicator_catalogue', entry.code, csvField(entry.label), entry.source, entry.kind, null);
    else for (const areaId of entry.areas) out.row('indicator_catalogue', entry.code, csvField(entry.label), entry.source, entry.kind, areaId);
  }
  writeStaff(world, out, rng);
}

function writeStaff(world: World, out: BundleWriter, rng: ReturnType<typeof worldRng>): void {
  // area_id: a council's staff and a chair work for their area; police and the administrator for every area (empty).
  const person = (workerId: string, agency: string, role: string, schoolId: string | null, areaId: string | null) => {
    const name = `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
    const email = `${name.toLowerCase().replace(/[^a-z]+/g, '.')}.${workerId.toLowerCase()}@example.org`;
    out.row('staff', workerId, csvField(name), email, uuid(rng), agency, role, schoolId, areaId);
  };
  for (const area of world.areas) {
    for (const [agency, ids] of Object.entries(area.staff)) {
      for (const id of ids) person(id, agency, agency === 'police' ? 'officer' : 'caseworker', null, agency === 'police' ? null : area.areaId);
    }
    for (const id of [...area.schools.secondary, ...area.schools.alternative, ...area.schools.primary.slice(0, 3)]) {
      person(`${id}-DSL`, 'education', 'school_safeguarding_lead', id, area.areaId);
    }
    person(`${area.areaId}-AN1`, 'police', 'analyst', null, null);
    person(`${area.areaId}-AN2`, 'council', 'analyst', null, area.areaId);
    person(`${area.areaId}-CHAIR`, 'council', 'chair', null, area.areaId);
  }
  person('ADMIN1', 'council', 'admin', null, null);
}

/** A version-4-shaped id from the seeded stream (deterministic, not random). */
export function uuid(rng: { next(): number }): string {
  const hex = Array.from({ length: 4 }, () => rng.next().toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
