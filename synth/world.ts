import { AREAS } from './catalogue.js';
import { Rng } from '../domain/rng.js';

/** People per neighbourhood: close to an LSOA (~1,500), small enough to hold in memory. */
export const COMMUNITY_SIZE = 1000;

export interface AreaPlan {
  readonly areaId: string;
  readonly name: string;
  /** Communities [first, first + count) belong to this area. */
  readonly firstCommunity: number;
  readonly communities: number;
  readonly schools: Readonly<Record<'primary' | 'secondary' | 'special' | 'alternative' | 'college', readonly string[]>>;
  /** Places where exploitation concentrates (hotels, parks, transport hubs). */
  readonly hotspots: readonly string[];
  readonly staff: Readonly<Record<'social_care' | 'early_help' | 'youth_offending' | 'base' | 'police', readonly string[]>>;
}

export interface World {
  readonly seed: number;
  readonly people: number;
  readonly communities: number;
  readonly areas: readonly AreaPlan[];
}

const perPeople = (people: number, each: number) => Math.max(1, Math.ceil(people / each));

/** The shared reference data, decided before any neighbourhood is generated. */
export function planWorld(people: number, seed: number): World {
  const communities = Math.max(1, Math.ceil(people / COMMUNITY_SIZE));
  const areas: AreaPlan[] = [];
  let first = 0;
  AREAS.forEach((area, i) => {
    const count = i === AREAS.length - 1 ? communities - first : Math.max(1, Math.round(communities * area.share));
    const n = Math.max(0, Math.min(count, communities - first));
    const areaPeople = n * COMMUNITY_SIZE;
    const ids = (prefix: string, k: number) => Array.from({ length: k }, (_, j) => `${area.areaId}-${prefix}${String(j + 1).padStart(4, '0')}`);
    areas.push({
      areaId: area.areaId,
      name: area.name,
      firstCommunity: first,
      communities: n,
      schools: {
        primary: ids('PRI', perPeople(areaPeople, 2500)),
        secondary: ids('SEC', perPeople(areaPeople, 7000)),
        special: ids('SPE', perPeople(areaPeople, 30000)),
        alternative: ids('ALT', perPeople(areaPeople, 40000)),
        college: ids('COL', perPeople(areaPeople, 40000)),
      },
      hotspots: ids('HOT', perPeople(areaPeople, 15000)),
      staff: {
        social_care: ids('SW', perPeople(areaPeople, 1500)),
        early_help: ids('EH', perPeople(areaPeople, 4000)),
        youth_offending: ids('YOT', perPeople(areaPeople, 10000)),
        base: ids('BASE', perPeople(areaPeople, 20000)),
        police: ids('PC', perPeople(areaPeople, 10000)),
      },
    });
    first += n;
  });
  return { seed, people, communities, areas: areas.filter((a) => a.communities > 0) };
}

export function areaOfCommunity(world: World, community: number): AreaPlan {
  return world.areas.find((a) => community >= a.firstCommunity && community < a.firstCommunity + a.communities)!;
}

/**
 * An item from an area-wide list, usually the one serving this neighbourhood
 * (neighbouring neighbourhoods share schools, workers and hotspots), sometimes
 * any other in the area.
 */
function nearby(list: readonly string[], area: AreaPlan, community: number, rng: Rng, localShare: number): string {
  const local = (community - area.firstCommunity) / Math.max(1, area.communities);
  const near = Math.min(list.length - 1, Math.floor(local * list.length));
  return rng.chance(localShare) ? list[near] : list[rng.int(list.length)];
}

export const schoolFor = (area: AreaPlan, phase: keyof AreaPlan['schools'], community: number, rng: Rng) => nearby(area.schools[phase], area, community, rng, 0.85);
export const staffFor = (area: AreaPlan, agency: keyof AreaPlan['staff'], community: number, rng: Rng) => nearby(area.staff[agency], area, community, rng, 0.8);
export const hotspotFor = (area: AreaPlan, community: number, rng: Rng) => nearby(area.hotspots, area, community, rng, 0.6);

export const worldRng = (world: World, ...stream: number[]) => new Rng(world.seed, ...stream);
