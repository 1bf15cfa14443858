import { Command, InvalidArgumentError } from 'commander';
import { generateBundle } from '../../synth/generate.js';
import { progressBar } from '../progress.js';

const wholeNumber = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('expected a whole number');
  return n;
};
const positive = (value: string) => {
  const n = Number(value);
  if (!(n > 0)) throw new InvalidArgumentError('expected a positive number');
  return n;
};

export const synthCommand = new Command('synth')
  .description('write a synthetic Think Family bundle (contract CSVs plus truth.csv); the same seed always gives the same bundle')
  .requiredOption('--people <n>', 'people in the population (at least 100)', wholeNumber)
  .option('--seed <n>', 'random seed', wholeNumber, 1)
  .option('--out <dir>', 'folder to write the bundle to', './data/bundle')
  .option('--end <date>', 'last day of recorded data (YYYY-MM-DD)', '2025-12-31')
  .option('--years <n>', 'years of history before --end', positive, 10)
  .option('--recording-bias <factor>', 'over-record ASB and offences for --bias-group by this factor (1 = off)', positive, 1)
  .option('--bias-group <column=value>', 'who is over-recorded: sex=<v> or ethnicity=<v>', 'ethnicity=Black')
  .option('--exploiters-per-thousand <n>', 'hidden exploiters per 1,000 people before deprivation weighting', positive, 0.9)
  .option('--difficulty <name>', 'standard (as always), realistic (CSE tags at published background rates, exploitation often untagged, co-offending peer groups, innocent adults sharing records with children in care) or quiet (realistic, and victims’ own records barely move)', 'standard')
  .action((opts) => {
    const started = Date.now();
    const bar = progressBar('synth', 'people');
    const summary = generateBundle({
      people: opts.people,
      seed: opts.seed,
      out: opts.out,
      end: opts.end,
      years: opts.years,
      recordingBias: opts.recordingBias,
      difficulty: opts.difficulty,
      biasGroup: opts.biasGroup,
      exploitersPerThousand: opts.exploitersPerThousand,
      onProgress: (done, total) => bar.update(done, total),
    });
    bar.stop();
    const seconds = (Date.now() - started) / 1000;
    console.log(`wrote ${opts.out} in ${seconds.toFixed(1)} s (${Math.round(opts.people / seconds).toLocaleString('en-GB')} people/s)`);
    for (const [table, rows] of Object.entries(summary.rows)) console.log(`  ${table.padEnd(20)} ${rows.toLocaleString('en-GB').padStart(12)}`);
    console.log(`hidden: ${summary.victims} exploited children (${summary.knownToService} reached the exploitation service), ${summary.exploiters} exploiting adults`);
  });
