import { completedYears } from '../../domain/ages.js';
import { isoOf, NO_DAY } from '../../domain/days.js';
import type { DataQuality, TfdSnapshot } from '../snapshot/tfd-snapshot.js';

export interface SourceCoverage {
  readonly source: string;
  /** The catalogue says this source supplies indicators in this area. */
  readonly supplied: boolean;
  /** Share of the area's people with at least one record from the source. */
  readonly peopleCovered: number;
  readonly facts: number;
}

export interface AreaProfile {
  readonly areaId: string;
  readonly people: number;
  readonly children: number;
  readonly sources: readonly SourceCoverage[];
}

export interface DataProfile {
  readonly people: number;
  readonly children: number;
  readonly facts: number;
  readonly policeRecords: number;
  readonly factDates: { readonly from: string | null; readonly to: string | null };
  readonly recordDates: { readonly from: string | null; readonly to: string | null };
  readonly areas: readonly AreaProfile[];
  readonly quality: DataQualityReport;
}

export interface DataQualityReport extends DataQuality {
  /** Sources supplied in some areas but with no records at all in this one. */
  readonly missingSources: readonly { areaId: string; source: string }[];
  readonly factsBeforeBirth: number;
  readonly factsAfterAsOf: number;
  readonly recordsAfterAsOf: number;
  /** Facts repeating another of the same person, code and start date. */
  readonly duplicateFacts: number;
  readonly peopleWithoutFamily: number;
  /** Children of compulsory school age (5–15) with no school enrolment open on the as-of date. */
  readonly schoolAgeWithoutSchool: number;
}

/** What the run was built from, and what is wrong with it, computed from the snapshot alone. */
export function dataProfile(snapshot: TfdSnapshot, asOf: number): DataProfile {
  const people = snapshot.personIds.length;
  const areas = snapshot.areaIds.length;
  const sources = [...new Set(snapshot.codeSource)].sort();
  const sourceIndex = new Map(sources.map((s, i) => [s, i]));
  const codeSourceIndex = snapshot.codeSource.map((s) => sourceIndex.get(s)!);
  const peopleIn = new Array<number>(areas).fill(0);
  const childrenIn = new Array<number>(areas).fill(0);
  const covered = Array.from({ length: areas }, () => new Array<number>(sources.length).fill(0));
  const factsBy = Array.from({ length: areas }, () => new Array<number>(sources.length).fill(0));
  const seen = new Int32Array(sources.length).fill(-1);
  let factsBeforeBirth = 0;
  let factsAfterAsOf = 0;
  let duplicateFacts = 0;
  let firstFact = Infinity;
  let lastFact = -Infinity;
  let children = 0;
  let peopleWithoutFamily = 0;
  let schoolAgeWithoutSchool = 0;
  const { facts, memberships, enrolments } = snapshot;

  for (let p = 0; p < people; p++) {
    const area = snapshot.area[p];
    const birth = snapshot.birth[p];
    const age = birth === NO_DAY ? -1 : completedYears(birth, asOf);
    if (area >= 0) peopleIn[area]++;
    if (age >= 0 && age < 18) {
      children++;
      if (area >= 0) childrenIn[area]++;
    }
    const keys = new Set<string>();
    for (let f = facts.offset[p]; f < facts.offset[p + 1]; f++) {
      const start = facts.start[f];
      const source = codeSourceIndex[facts.code[f]];
      if (area >= 0 && source !== undefined) {
        factsBy[area][source]++;
        if (seen[source] !== p) {
          seen[source] = p;
          covered[area][source]++;
        }
      }
      if (start !== NO_DAY) {
        if (birth !== NO_DAY && start < birth) factsBeforeBirth++;
        if (start > asOf) factsAfterAsOf++;
        if (start < firstFact) firstFact = start;
        if (start > lastFact) lastFact = start;
      }
      const key = `${facts.code[f]}:${start}`;
      if (keys.has(key)) duplicateFacts++;
      else keys.add(key);
    }
    if (memberships.offset[p + 1] === memberships.offset[p]) peopleWithoutFamily++;
    if (age >= 5 && age < 16) {
      let enrolled = false;
      for (let e = enrolments.offset[p]; e < enrolments.offset[p + 1] && !enrolled; e++) enrolled = enrolments.start[e] <= asOf && enrolments.end[e] >= asOf;
      if (!enrolled) schoolAgeWithoutSchool++;
    }
  }

  let firstRecord = Infinity;
  let lastRecord = -Infinity;
  let recordsAfterAsOf = 0;
  for (const day of snapshot.eventTable.day) {
    if (day === NO_DAY) continue;
    if (day < firstRecord) firstRecord = day;
    if (day > lastRecord) lastRecord = day;
    if (day > asOf) recordsAfterAsOf++;
  }

  const suppliedSources = snapshot.supplied.map((codes) => new Set([...codes].map((c) => snapshot.codeSource[c])));
  const areaProfiles: AreaProfile[] = snapshot.areaIds.map((areaId, a) => ({
    areaId,
    people: peopleIn[a],
    children: childrenIn[a],
    sources: sources.map((source, s) => ({ source, supplied: suppliedSources[a]?.has(source) ?? false, peopleCovered: peopleIn[a] ? covered[a][s] / peopleIn[a] : 0, facts: factsBy[a][s] })),
  }));
  const everywhere = new Set(areaProfiles.flatMap((a) => a.sources.filter((s) => s.facts > 0).map((s) => s.source)));
  const missingSources = areaProfiles.flatMap((a) => a.sources.filter((s) => s.facts === 0 && everywhere.has(s.source)).map((s) => ({ areaId: a.areaId, source: s.source })));
  const day = (d: number) => (Number.isFinite(d) ? isoOf(d) : null);
  return {
    people,
    children,
    facts: facts.code.length,
    policeRecords: snapshot.eventTable.day.length,
    factDates: { from: day(firstFact), to: day(lastFact) },
    recordDates: { from: day(firstRecord), to: day(lastRecord) },
    areas: areaProfiles,
    quality: { ...snapshot.dataQuality, missingSources, factsBeforeBirth, factsAfterAsOf, recordsAfterAsOf, duplicateFacts, peopleWithoutFamily, schoolAgeWithoutSchool },
  };
}
