import { reportFatal } from '../domain/errors.js';
import { Command } from 'commander';
import { askCommand } from './commands/ask.js';
import { auditCommand } from './commands/audit.js';
import { evalCommand } from './commands/eval.js';
import { exportCommand } from './commands/export.js';
import { importCommand } from './commands/import.js';
import { manifestCommand } from './commands/manifest.js';
import { meetingCommand } from './commands/meeting.js';
import { scoreCommand } from './commands/score.js';
import { synthCommand } from './commands/synth.js';

const program = new Command('tfd')
  .description('Think Family CSE insight: decision support, not a finding. Commands documented in README.md')
  .addCommand(synthCommand)
  .addCommand(importCommand)
  .addCommand(scoreCommand)
  .addCommand(exportCommand)
  .addCommand(evalCommand)
  .addCommand(auditCommand)
  .addCommand(manifestCommand)
  .addCommand(askCommand)
  .addCommand(meetingCommand);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  reportFatal(error);
}
