import { DAYS_PER_YEAR, type Day } from './calendar.js';
import type { Rng } from '../domain/rng.js';
import { COMMUNITY_SIZE, type AreaPlan } from './world.js';

export interface SynthPerson {
  readonly index: number;
  readonly id: string;
  readonly birth: Day;
  readonly sex: 'F' | 'M';
  readonly ethnicity: string;
  readonly family: number;
  /** Latent vulnerability, ~N(mean by deprivation, 1): drives every indicator rate. */
  readonly risk: number;
  /** Peers of about the same age in the neighbourhood (-1 for none). */
  peerGroup: number;
  careFrom?: Day;
  careTo?: Day;
  exploitedFrom?: Day;
  exploiter?: boolean;
}

export interface SynthFamily {
  readonly id: string;
  readonly members: number[];
  readonly adults: number[];
  readonly children: number[];
  /** Shared adversity (deprivation, parental difficulty). */
  readonly adversity: number;
  readonly formed: Day;
  readonly home: string;
}

export interface Community {
  readonly index: number;
  readonly area: AreaPlan;
  readonly lsoa: string;
  readonly imd: number;
  readonly people: SynthPerson[];
  readonly families: SynthFamily[];
  /** Public places in the neighbourhood (park, shop, transport stop). */
  readonly places: string[];
}

/** Census 2021 high-level ethnic groups: Bristol and Somerset (ONS TS021). */
const ETHNICITY: Record<string, { groups: string[]; weights: number[] }> = {
  A1: { groups: ['White', 'Black', 'Asian', 'Mixed', 'Other'], weights: [81.1, 5.9, 6.6, 4.5, 1.9] },
  A2: { groups: ['White', 'Black', 'Asian', 'Mixed', 'Other'], weights: [95.4, 0.7, 1.5, 1.8, 0.6] },
};

export interface PopulationCounters {
  nextPerson: number;
  nextFamily: number;
}

const pid = (n: number) => `P${String(n).padStart(8, '0')}`;

/**
 * Households of one neighbourhood. About 28% of households have dependent
 * children, giving ~25% children overall (ONS Families and households); lone
 * parents are commoner where deprivation is higher (16% of families nationally).
 */
export function generateCommunity(
  index: number,
  area: AreaPlan,
  size: number,
  end: Day,
  rng: Rng,
  counters: PopulationCounters,
): Community {
  // IMD deciles are skewed towards deprivation in the city area.
  const imd = area.areaId === 'A1' ? 1 + Math.min(9, Math.floor(10 * Math.pow(rng.float(), 1.3))) : 1 + Math.min(9, Math.floor(10 * Math.pow(rng.float(), 0.85)));
  const community: Community = {
    index,
    area,
    lsoa: `${area.areaId}-LSOA-${String(index).padStart(5, '0')}`,
    imd,
    people: [],
    families: [],
    places: [0, 1, 2, 3].map((k) => `L${String(index).padStart(5, '0')}-P${k}`),
  };
  const ethnicity = ETHNICITY[area.areaId] ?? ETHNICITY.A1;
  const meanAdversity = (5.5 - imd) * 0.22;
  const loneParentShare = 0.1 + 0.025 * (10 - imd);

  while (community.people.length < size) {
    const familyIndex = community.families.length;
    const adversity = meanAdversity + rng.normal();
    const group = ethnicity.groups[rng.weighted(ethnicity.weights)];
    const withChildren = rng.chance(0.284);
    const members: number[] = [];
    const adults: number[] = [];
    const children: number[] = [];
    const add = (birth: Day, sex: 'F' | 'M', child: boolean) => {
      if (community.people.length >= size) return;
      const person: SynthPerson = {
        index: community.people.length,
        id: pid(counters.nextPerson++),
        birth,
        sex,
        ethnicity: rng.chance(0.93) ? group : ethnicity.groups[rng.weighted(ethnicity.weights)],
        family: familyIndex,
        risk: 0.75 * adversity + 0.66 * rng.normal(),
        peerGroup: -1,
      };
      community.people.push(person);
      members.push(person.index);
      (child ? children : adults).push(person.index);
    };
    const daysOld = (years: number) => end - Math.floor(years * DAYS_PER_YEAR) - rng.int(365);

    if (withChildren) {
      const kids = 1 + rng.weighted([40, 38, 15, 7]);
      const eldest = rng.int(18);
      for (let k = 0; k < kids; k++) add(daysOld(Math.max(0, eldest - k * (1 + rng.int(3)))), rng.chance(0.488) ? 'F' : 'M', true);
      const parentAge = eldest + 20 + rng.int(20);
      const lone = rng.chance(loneParentShare);
      add(daysOld(parentAge), lone && rng.chance(0.84) ? 'F' : lone ? 'M' : 'F', false);
      if (!lone) add(daysOld(parentAge + rng.int(6) - 2), 'M', false);
    } else {
      const age = 18 + Math.floor(67 * Math.pow(rng.float(), 1.15));
      const couple = rng.chance(0.55);
      add(daysOld(age), rng.chance(0.5) ? 'F' : 'M', false);
      if (couple) add(daysOld(Math.max(18, age + rng.int(8) - 4)), rng.chance(0.5) ? 'F' : 'M', false);
    }
    const oldestChild = children.length > 0 ? Math.min(...children.map((c) => community.people[c].birth)) : end - 20 * 365;
    community.families.push({
      id: `F${String(counters.nextFamily++).padStart(8, '0')}`,
      members,
      adults,
      children,
      adversity,
      formed: oldestChild - rng.int(3 * 365),
      home: `L${String(index).padStart(5, '0')}-H${familyIndex}`,
    });
  }
  assignPeerGroups(community, rng);
  return community;
}

/** People born within a year or two of each other in a neighbourhood form small peer groups. */
function assignPeerGroups(community: Community, rng: Rng): void {
  const byAge = community.people.slice().sort((a, b) => a.birth - b.birth);
  let group = 0;
  for (let i = 0; i < byAge.length; ) {
    const size = 3 + rng.int(4);
    for (let k = 0; k < size && i < byAge.length; k++, i++) byAge[i].peerGroup = group;
    group++;
  }
}

export const expectedCommunitySize = (people: number, index: number, communities: number) =>
  index < communities - 1 ? COMMUNITY_SIZE : people - COMMUNITY_SIZE * (communities - 1);
