import { Command } from 'commander';
import { cardAsText } from '../../cards/card-as-text.js';
import { startLocalConnector, teamsMessage } from '../../bot/local/local-connector.js';
import { UserFacingError } from '../../domain/errors.js';
import { withDb } from '../with-db.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The Entra object id to send as: given directly, or looked up from a staff worker id. */
async function aadFor(who: string): Promise<string> {
  if (GUID.test(who)) return who;
  const row = await withDb((db) => db.db.selectFrom('staff').select(['aad_object_id', 'role']).where('worker_id', '=', who).executeTakeFirst());
  if (!row?.aad_object_id) throw new UserFacingError(`no member of staff "${who}" with an Entra object id in DATABASE_URL; pick one with \`npm run cli -- ask --staff\``);
  return row.aad_object_id;
}

async function showStaff(): Promise<void> {
  const rows = await withDb((db) => db.db.selectFrom('staff').select(['worker_id', 'role', 'display_name', 'school_id']).orderBy('role').orderBy('worker_id').execute());
  const byRole = new Map<string, typeof rows>();
  for (const r of rows) byRole.set(r.role, [...(byRole.get(r.role) ?? []), r]);
  console.log('staff you can ask as (--as <worker_id>), first three per role:');
  for (const [role, people] of byRole) {
    console.log(`  ${role} (${people.length}): ${people.slice(0, 3).map((p) => `${p.worker_id}${p.school_id ? ` [${p.school_id}]` : ''}`).join(', ')}`);
  }
}

export const askCommand = new Command('ask')
  .description('talk to a running bot from the terminal as a member of staff, as Teams would (a loopback stand-in for the Bot Connector receives the reply); start the bot first with BOT_ALLOW_UNAUTHENTICATED=1 npm run start:bot')
  .argument('[message...]', 'what to say, e.g. list, help, profile P00012345')
  .option('--as <who>', 'staff worker_id (looked up in DATABASE_URL) or an Entra object id')
  .option('--staff', 'list staff to ask as, by role')
  .option('--bot <url>', 'the bot’s messaging endpoint', 'http://127.0.0.1:3978/api/messages')
  .option('--json', 'print the reply activity as JSON instead of text')
  .action(async (words: string[], opts) => {
    if (opts.staff || !opts.as) {
      if (!opts.staff) console.log('say who you are with --as <worker_id>.');
      return showStaff();
    }
    const aad = await aadFor(opts.as);
    const connector = await startLocalConnector();
    try {
      const reply = connector.next();
      const res = await fetch(opts.bot, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(teamsMessage(connector.url, words.join(' ') || 'help', aad)) }).catch((e: Error) => {
        throw new UserFacingError(`no bot answers at ${opts.bot} (${e.message}); start it with BOT_ALLOW_UNAUTHENTICATED=1 npm run start:bot`);
      });
      if (res.status === 401) throw new UserFacingError(`the bot at ${opts.bot} requires Bot Framework authentication; for a local run start it with BOT_ALLOW_UNAUTHENTICATED=1 and no MicrosoftAppId`);
      if (!res.ok) throw new UserFacingError(`the bot answered HTTP ${res.status}`);
      const { body } = await reply;
      if (opts.json) return console.log(JSON.stringify(body, null, 2));
      const card = (body.attachments as { content?: unknown }[] | undefined)?.[0]?.content;
      console.log(card ? cardAsText(card) : (body.text ?? ''));
    } finally {
      await connector.close();
    }
  });
