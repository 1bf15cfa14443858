import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb } from '../../db/database.js';
import type { TfdDialect } from '../../db/dialect/dialect.js';
import { startBot, type RunningBot } from '../../bot/server.js';
import { cardTexts } from '../helpers/adaptive-card.js';
import { startConnectorStandIn, teamsMessage } from '../helpers/connector-stand-in.js';
import { useTempDirs } from '../helpers/temp.js';

const LOCAL = { port: 0, appId: '', appPassword: '', tenantId: '', allowUnauthenticated: true };

/** Another process holding the database's write lock until told to let go, as an import or a run's writes would. */
async function holdWriteLock(path: string): Promise<ChildProcess> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(${JSON.stringify(path)});
    db.exec('BEGIN EXCLUSIVE');
    db.prepare("insert into area (area_id, name) values ('LOCK', 'held')").run();
    process.stdout.write('locked\\n');
    process.stdin.on('end', () => { db.exec('ROLLBACK'); db.close(); process.exit(0); });
    process.stdin.resume();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [chunk] = await once(child.stdout!, 'data');
  expect(String(chunk)).toContain('locked');
  return child;
}

describe('a lookup while another process holds the database', () => {
  const tempDir = useTempDirs();
  let bot: RunningBot | undefined;
  let db: TfdDialect | undefined;
  let holder: ChildProcess | undefined;
  let connector: Awaited<ReturnType<typeof startConnectorStandIn>> | undefined;
  afterEach(async () => {
    holder?.stdin?.end();
    if (holder && holder.exitCode === null) await once(holder, 'exit');
    await bot?.close();
    await connector?.close();
    await db?.close();
  });

  it('answers "busy, try again" quickly, records nothing as shown, and the health check keeps answering', async () => {
    const path = join(tempDir(), 'tfd.sqlite');
    await (await createDb({ databaseUrl: `sqlite:${path}` })).close();
    db = await createDb({ databaseUrl: `sqlite:${path}`, migrate: false, busyTimeoutMs: 250 });
    connector = await startConnectorStandIn();
    bot = await startBot(LOCAL, { db: db.db, now: () => new Date() }, () => undefined);
    holder = await holdWriteLock(path);

    const started = performance.now();
    const lookup = fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(teamsMessage(connector.url, 'profile P00000001')) });
    const health = await fetch(`${bot.url}/`);
    expect(health.status).toBe(200);
    expect((await lookup).status).toBe(200);
    // Well under the 10 s a default busy timeout held the whole bot for.
    expect(performance.now() - started).toBeLessThan(5_000);
    const reply = connector.sent.pop()!.body;
    const card = (reply.attachments as { content: Record<string, unknown> }[])[0].content;
    expect(cardTexts(card).join('\n')).toMatch(/Busy: please try again in a minute/);

    holder.stdin!.end();
    await once(holder, 'exit');
    expect(await db.db.selectFrom('access_audit').selectAll().execute()).toEqual([]);
    // Once the writer is done, the same lookup is answered (and recorded) as usual.
    await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(teamsMessage(connector.url, 'profile P00000001')) });
    expect(cardTexts((connector.sent.pop()!.body.attachments as { content: Record<string, unknown> }[])[0].content).join('\n')).toMatch(/do not have access yet/);
    expect(await db.db.selectFrom('access_audit').selectAll().execute()).toHaveLength(1);
  });
});
