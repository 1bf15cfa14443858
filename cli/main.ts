import { Command } from 'commander';
import { importCommand } from './commands/import.js';
import { synthCommand } from './commands/synth.js';

const program = new Command('tfd')
  .description('Think Family CSE insight: decision support, not a finding. Commands documented in README.md')
  .addCommand(synthCommand)
  .addCommand(importCommand);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Known, user-facing errors carry their own advice; anything else keeps its stack.
  const known = error instanceof Error && /Error$/.test(error.name) && error.name !== 'Error' && error.name !== 'TypeError';
  console.error(known ? `error: ${(error as Error).message}` : error);
  process.exitCode = 1;
}
