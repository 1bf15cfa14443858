import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { buildAppPackage } from '../../manifest/teams-app.js';

export const manifestCommand = new Command('manifest')
  .description('build the Teams app package (manifest.json with your ids, and the icons), validated offline against the manifest schema, for upload in the Teams admin centre')
  .requiredOption('--bot-id <guid>', 'the bot’s Microsoft App id (MicrosoftAppId of the Azure Bot registration)')
  .option('--app-id <guid>', 'the Teams app id (default: the bot id)')
  .option('--out <file>', 'zip file to write', 'tfd-cse-insight-teams-app.zip')
  .action(async (opts) => {
    const zip = await buildAppPackage(opts.botId, opts.appId);
    writeFileSync(opts.out, zip);
    console.log(`wrote ${opts.out} (${zip.length.toLocaleString('en-GB')} bytes): manifest.json, color.png, outline.png`);
  });
