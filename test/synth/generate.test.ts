import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_NAMES } from '../../domain/contract/tables.js';
import { generateBundle, SynthOptionsError } from '../../synth/generate.js';
import { readTable } from '../helpers/csv-table.js';
import { useTempDirs } from '../helpers/temp.js';

const fileHashes = (dir: string) =>
  Object.fromEntries(readdirSync(dir).sort().map((f) => [f, createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')]));

const ageOn = (dob: string, on: string) => Number(on.slice(0, 4)) - Number(dob.slice(0, 4)) - (on.slice(5) < dob.slice(5) ? 1 : 0);

describe('generateBundle', () => {
  const tempDir = useTempDirs();

  describe('determinism', () => {
    it('writes byte-identical bundles for the same seed and different ones for another', () => {
      const [a, b, c] = [tempDir(), tempDir(), tempDir()];
      generateBundle({ people: 3000, seed: 11, out: a });
      generateBundle({ people: 3000, seed: 11, out: b });
      generateBundle({ people: 3000, seed: 12, out: c });
      expect(fileHashes(a)).toEqual(fileHashes(b));
      expect(fileHashes(a)['person.csv']).not.toBe(fileHashes(c)['person.csv']);
      expect(readdirSync(a).sort()).toEqual([...TABLE_NAMES.map((t) => `${t}.csv`), 'truth.csv'].sort());
    });

    it('refuses options that make no sense', () => {
      expect(() => generateBundle({ people: 10, seed: 1, out: tempDir() })).toThrow(SynthOptionsError);
      expect(() => generateBundle({ people: 1000, seed: 1, out: tempDir(), biasGroup: 'height=tall' })).toThrow(/--bias-group/);
      expect(() => generateBundle({ people: 1000, seed: 1, out: tempDir(), recordingBias: 0.5 })).toThrow(/at least 1/);
    });
  });

  describe('statistical shape (60,000 people)', () => {
    const ON = '2025-03-31';
    let t: Record<string, Record<string, string>[]>;
    let children: Set<string>;
    const stock = (code: string) =>
      new Set(t.indicator_fact.filter((f) => f.code === code && f.start_date <= ON && (f.end_date === '' || f.end_date >= ON) && children.has(f.person_id)).map((f) => f.person_id)).size /
      children.size;

    beforeAll(async () => {
      const dir = join(tempDir(), 'bundle');
      generateBundle({ people: 60_000, seed: 5, out: dir });
      t = {};
      for (const name of ['person', 'indicator_fact', 'truth', 'base_cohort', 'topaz_marker', 'event', 'event_party']) t[name] = await readTable(join(dir, `${name}.csv`));
      children = new Set(t.person.filter((p) => ageOn(p.date_of_birth, ON) < 18 && ageOn(p.date_of_birth, ON) >= 0).map((p) => p.person_id));
    });

    it('has about a quarter children, as the UK population does', () => {
      expect(t.person).toHaveLength(60_000);
      expect(children.size / t.person.length).toBeGreaterThan(0.2);
      expect(children.size / t.person.length).toBeLessThan(0.3);
    });

    it('matches published social care rates (CIN 333, CPP 43, looked after 70 per 10,000)', () => {
      expect(stock('child_in_need') * 1e4).toBeGreaterThan(220);
      expect(stock('child_in_need') * 1e4).toBeLessThan(450);
      expect(stock('child_protection_plan') * 1e4).toBeGreaterThan(25);
      expect(stock('child_protection_plan') * 1e4).toBeLessThan(70);
      expect(stock('looked_after') * 1e4).toBeGreaterThan(40);
      expect(stock('looked_after') * 1e4).toBeLessThan(120);
    });

    it('makes looked-after children go missing far more often, exploited or not (the confounder)', () => {
      const inCare = new Set(t.indicator_fact.filter((f) => f.code === 'looked_after').map((f) => f.person_id));
      const exploited = new Set(t.truth.filter((r) => r.exploited === '1').map((r) => r.person_id));
      const missing = new Set(t.indicator_fact.filter((f) => f.code === 'missing_episode').map((f) => f.person_id));
      const everChild = t.person.filter((p) => ageOn(p.date_of_birth, '2025-12-31') < 26 && !exploited.has(p.person_id));
      const rate = (group: typeof everChild) => group.filter((p) => missing.has(p.person_id)).length / group.length;
      const careRate = rate(everChild.filter((p) => inCare.has(p.person_id)));
      const otherRate = rate(everChild.filter((p) => !inCare.has(p.person_id)));
      expect(careRate / otherRate).toBeGreaterThan(5);
    });

    it('records persistent absence near the published 20% (2023/24)', () => {
      const absent = new Set(t.indicator_fact.filter((f) => f.code === 'school_absence_persistent' && f.start_date === '2023-09-01').map((f) => f.person_id));
      const pupils = t.person.filter((p) => ageOn(p.date_of_birth, '2023-09-01') >= 5 && ageOn(p.date_of_birth, '2023-09-01') < 16);
      const share = pupils.filter((p) => absent.has(p.person_id)).length / pupils.length;
      expect(share).toBeGreaterThan(0.12);
      expect(share).toBeLessThan(0.28);
    });

    it('hides exploited children, two in three girls, of whom only some ever become known', () => {
      const victims = t.truth.filter((r) => r.exploited === '1');
      const sex = new Map(t.person.map((p) => [p.person_id, p.sex]));
      expect(victims.length).toBeGreaterThan(60);
      const girls = victims.filter((v) => sex.get(v.person_id) === 'F').length / victims.length;
      expect(girls).toBeGreaterThan(0.55);
      expect(girls).toBeLessThan(0.82);
      const cohort = new Set(t.base_cohort.map((r) => r.person_id));
      const marked = new Set(t.topaz_marker.filter((r) => r.marker === 'victim').map((r) => r.person_id));
      const known = victims.filter((v) => cohort.has(v.person_id)).length / victims.length;
      const neverKnown = victims.filter((v) => !cohort.has(v.person_id) && !marked.has(v.person_id)).length / victims.length;
      expect(known).toBeGreaterThan(0.3);
      expect(known).toBeLessThan(0.8);
      expect(neverKnown).toBeGreaterThan(0.15);
      expect([...cohort].every((id) => victims.some((v) => v.person_id === id))).toBe(true);
      expect(new Set(t.base_cohort.map((r) => r.start_of_service.slice(0, 4))).size).toBeGreaterThanOrEqual(6);
    });

    it('links victims to exploiting adults through shared police records', () => {
      const exploiters = new Set(t.truth.filter((r) => r.exploiter === '1').map((r) => r.person_id));
      const victims = new Set(t.truth.filter((r) => r.exploited === '1').map((r) => r.person_id));
      const eventsWithExploiter = new Set(t.event_party.filter((p) => exploiters.has(p.person_id)).map((p) => p.event_id));
      const linked = new Set(t.event_party.filter((p) => victims.has(p.person_id) && eventsWithExploiter.has(p.event_id)).map((p) => p.person_id));
      expect(linked.size / victims.size).toBeGreaterThan(0.9);
    });

    it('shifts victims’ records around onset (more missing episodes than other children)', () => {
      const victims = new Set(t.truth.filter((r) => r.exploited === '1').map((r) => r.person_id));
      const count = new Map<string, number>();
      for (const f of t.indicator_fact) if (f.code === 'missing_episode') count.set(f.person_id, (count.get(f.person_id) ?? 0) + 1);
      const young = t.person.filter((p) => ageOn(p.date_of_birth, '2025-12-31') < 26);
      const mean = (group: typeof young) => group.reduce((s, p) => s + (count.get(p.person_id) ?? 0), 0) / group.length;
      expect(mean(young.filter((p) => victims.has(p.person_id))) / mean(young.filter((p) => !victims.has(p.person_id)))).toBeGreaterThan(10);
    });

    it('gives the second area no early-help, health or DWP records', () => {
      const area = new Map(t.person.map((p) => [p.person_id, p.area_id]));
      const codesIn = (a: string) => new Set(t.indicator_fact.filter((f) => area.get(f.person_id) === a).map((f) => f.code));
      for (const code of ['early_help_episode', 'mental_health_support', 'substance_misuse_support', 'unemployed']) {
        expect(codesIn('A1').has(code), code).toBe(true);
        expect(codesIn('A2').has(code), code).toBe(false);
      }
    });

    it('keeps most police records small, with the occasional crowd incident recorded repeatedly', () => {
      const sizes = new Map<string, number>();
      for (const p of t.event_party) sizes.set(p.event_id, (sizes.get(p.event_id) ?? 0) + 1);
      const sorted = [...sizes.values()].sort((a, b) => a - b);
      expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThanOrEqual(3);
      expect([...sizes.values()].filter((n) => n >= 30).length).toBeGreaterThanOrEqual(3);
    });
  });

  describe('recording-bias knob', () => {
    it('over-records ASB for the chosen group by about the factor, without changing who is exploited', async () => {
      const [off, on] = [tempDir(), tempDir()];
      generateBundle({ people: 30_000, seed: 9, out: off });
      generateBundle({ people: 30_000, seed: 9, out: on, recordingBias: 3, biasGroup: 'ethnicity=Black' });
      expect(readFileSync(join(on, 'truth.csv'), 'utf8')).toBe(readFileSync(join(off, 'truth.csv'), 'utf8'));
      expect(readFileSync(join(on, 'person.csv'), 'utf8')).toBe(readFileSync(join(off, 'person.csv'), 'utf8'));
      const people = await readTable(join(off, 'person.csv'));
      const black = new Set(people.filter((p) => p.ethnicity === 'Black').map((p) => p.person_id));
      const asb = async (dir: string, inGroup: boolean) =>
        (await readTable(join(dir, 'indicator_fact.csv'))).filter((f) => f.code === 'asb' && black.has(f.person_id) === inGroup).length;
      const groupRatio = (await asb(on, true)) / (await asb(off, true));
      expect(groupRatio).toBeGreaterThan(2.3);
      expect(groupRatio).toBeLessThan(3.7);
      expect(await asb(on, false)).toBe(await asb(off, false));
    });
  });
});
