import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { generateBundle, SynthOptionsError } from '../../synth/generate.js';
import type { DifficultyName } from '../../synth/difficulty.js';
import { readTable } from '../helpers/csv-table.js';
import { useTempDirs } from '../helpers/temp.js';

type Tables = Record<'event' | 'event_party' | 'indicator_fact' | 'truth' | 'person', Record<string, string>[]>;

/** The same seed at each difficulty: what the harder worlds add, measured from the files. */
describe('generateBundle --difficulty', () => {
  const tempDir = useTempDirs();
  const worlds = {} as Record<DifficultyName, Tables>;
  beforeAll(async () => {
    for (const difficulty of ['standard', 'realistic', 'quiet'] as const) {
      const out = tempDir();
      generateBundle({ people: 40_000, seed: 10, out, difficulty });
      const read = (name: string) => readTable(join(out, `${name}.csv`));
      worlds[difficulty] = { event: await read('event'), event_party: await read('event_party'), indicator_fact: await read('indicator_fact'), truth: await read('truth'), person: await read('person') };
    }
  }, 120_000);

  const exploited = (w: Tables) => new Set(w.truth.filter((t) => t.exploited === '1').map((t) => t.person_id));
  const exploiters = (w: Tables) => new Set(w.truth.filter((t) => t.exploiter === '1').map((t) => t.person_id));

  /** Share of missing reports about children who are not exploited that are tagged CSE. */
  function backgroundTagShare(w: Tables): number {
    const victims = exploited(w);
    const missingPerson = new Map(w.event_party.filter((p) => p.role === 'missing_person').map((p) => [p.event_id, p.person_id]));
    const reports = w.event.filter((e) => e.event_type === 'missing_report' && !victims.has(missingPerson.get(e.event_id) ?? ''));
    return reports.filter((e) => e.cse_flag === '1').length / reports.length;
  }

  it('refuses an unknown difficulty', () => {
    expect(() => generateBundle({ people: 1000, seed: 1, out: tempDir(), difficulty: 'impossible' as DifficultyName })).toThrow(SynthOptionsError);
  });

  it('tags CSE on about 9% of missing reports about children who are not exploited (NCA 2018/19), against about 4% in the standard world', () => {
    expect(backgroundTagShare(worlds.standard)).toBeLessThan(0.06);
    expect(backgroundTagShare(worlds.realistic)).toBeGreaterThan(0.07);
    expect(backgroundTagShare(worlds.realistic)).toBeLessThan(0.12);
  });

  it('adds co-offending peer groups: crimes with three or more teenage offenders, none of them exploited', () => {
    const groupCrimes = (w: Tables) => {
      const victims = exploited(w);
      const byEvent = new Map<string, string[]>();
      for (const p of w.event_party) if (p.role === 'offender' || p.role === 'suspect') byEvent.set(p.event_id, [...(byEvent.get(p.event_id) ?? []), p.person_id]);
      return [...byEvent.values()].filter((ps) => ps.length >= 3 && ps.every((p) => !victims.has(p))).length;
    };
    expect(groupCrimes(worlds.realistic)).toBeGreaterThan(groupCrimes(worlds.standard) + 20);
  });

  it('adds adults outside the household who share three or more records with a child innocently', () => {
    const innocentPairs = (w: Tables) => {
      const bad = exploiters(w);
      const reporterOf = new Map<string, string>();
      for (const p of w.event_party) if (p.role === 'reporter') reporterOf.set(p.event_id, p.person_id);
      const pairs = new Map<string, number>();
      for (const p of w.event_party) {
        const adult = reporterOf.get(p.event_id);
        if (!adult || adult === p.person_id || bad.has(adult) || (p.role !== 'missing_person' && p.role !== 'involved')) continue;
        const key = `${adult}|${p.person_id}`;
        pairs.set(key, (pairs.get(key) ?? 0) + 1);
      }
      return [...pairs.values()].filter((n) => n >= 3).length;
    };
    expect(innocentPairs(worlds.realistic)).toBeGreaterThan(innocentPairs(worlds.standard));
  });

  it('leaves fewer CSE tags on the records of exploitation', () => {
    const taggedWithVictims = (w: Tables) => {
      const victims = exploited(w);
      const withVictim = new Set(w.event_party.filter((p) => victims.has(p.person_id)).map((p) => p.event_id));
      const events = w.event.filter((e) => withVictim.has(e.event_id));
      return events.filter((e) => e.cse_flag === '1').length / events.length;
    };
    expect(taggedWithVictims(worlds.realistic)).toBeLessThan(0.75 * taggedWithVictims(worlds.standard));
  });

  it('in the quiet world, victims’ own records barely move: far fewer school, care and support records in the 18 months from onset', () => {
    const shiftPerVictim = (w: Tables) => {
      const onset = new Map(w.truth.filter((t) => t.exploited === '1' && t.exploitation_start).map((t) => [t.person_id, Date.parse(t.exploitation_start)]));
      const codes = new Set(['social_care_referral', 'child_in_need', 'substance_misuse_support', 'mental_health_support', 'exclusion_fixed', 'school_absence_persistent', 'missing_episode']);
      const near = w.indicator_fact.filter((f) => {
        const from = onset.get(f.person_id);
        const day = Date.parse(f.start_date);
        return from !== undefined && codes.has(f.code) && day >= from - 60 * 86_400_000 && day <= from + 548 * 86_400_000;
      });
      return near.length / onset.size;
    };
    expect(shiftPerVictim(worlds.quiet)).toBeLessThan(0.6 * shiftPerVictim(worlds.realistic));
  });
});
