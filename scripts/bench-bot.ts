/**
 * Bot lookup benchmark: `profile <id>` through the real pipeline (HTTP POST
 * to /api/messages → teams-ai → access decision → queries → audit insert →
 * card → reply to a loopback Bot Connector stand-in → HTTP 200), 20 lookups
 * in flight at once, on a scored TFD. The bot runs as in production, in its
 * own process (`scripts/start.ts bot`); server-side time is the
 * `Server-Timing` it reports per request (arrival to response, reply to the
 * connector included); the client round trip is printed beside it. The
 * connector stand-in runs in a third process, as Microsoft's is a separate
 * service: inside the busy load generator it would charge the generator's
 * delays to the bot. In the
 * same run: the framework's floor (`help`, a text reply with no database,
 * through the same pipeline) and a peer, the same lookups called directly
 * in this process (consultProfile + card), no HTTP or framework.
 *
 *   npm run bench:bot -- --db path/to/scored-tfd.sqlite [--lookups 4000] [--concurrency 20] [--processes 1]
 *   npm run bench:bot -- --people 200000      (builds and scores a TFD first)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { teamsMessage } from '../bot/local/local-connector.js';
import { consultProfile } from '../bot/lookups/profile-lookup.js';
import { noticeCard, profileCard } from '../cards/build-cards.js';
import { createDb } from '../db/database.js';
import { importBundle } from '../db/import/import-bundle.js';
import { generateBundle } from '../synth/generate.js';
import { scoreRun } from '../worker/pipeline/score-run.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const lookups = Number(arg('lookups') ?? 4_000);
const concurrency = Number(arg('concurrency') ?? 20);
const processes = Number(arg('processes') ?? 1);
const work = mkdtempSync(join(tmpdir(), 'tfd-bench-bot-'));

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const describe = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: quantile(s, 0.5), p95: quantile(s, 0.95), p99: quantile(s, 0.99), max: s[s.length - 1] };
};
const fmt = (d: ReturnType<typeof describe>) => `p50 ${d.p50.toFixed(1)} ms, p95 ${d.p95.toFixed(1)} ms, p99 ${d.p99.toFixed(1)} ms, max ${d.max.toFixed(1)} ms`;

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** Runs `task` for every item with `concurrency` in flight; returns each one's milliseconds and the wall time. */
async function pool<T>(items: T[], task: (item: T) => Promise<void>): Promise<{ ms: number[]; seconds: number }> {
  const ms: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++];
        const t = performance.now();
        await task(item);
        ms.push(performance.now() - t);
      }
    }),
  );
  return { ms, seconds: (performance.now() - started) / 1000 };
}

try {
  let path = arg('db');
  if (!path) {
    const people = Number(arg('people') ?? 200_000);
    path = join(work, 'tfd.sqlite');
    console.log(`building a scored ${people.toLocaleString('en-GB')}-person TFD …`);
    generateBundle({ people, seed: 1, out: join(work, 'bundle') });
    const setup = await createDb({ databaseUrl: `sqlite:${path}` });
    await importBundle(setup, join(work, 'bundle'));
    await scoreRun(setup);
    await setup.close();
  }
  const db = await createDb({ databaseUrl: `sqlite:${path}` });
  const people = Number((await db.db.selectFrom('person').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const analyst = await db.db.selectFrom('staff').select('aad_object_id').where('role', '=', 'analyst').orderBy('worker_id').executeTakeFirstOrThrow();
  // Random people across the whole TFD (children and adults, scored or not), the same sample for both.
  const ids = (await sql<{ person_id: string }>`select person_id from person order by random() limit ${lookups}`.execute(db.db)).rows.map((r) => r.person_id);
  const auditBefore = Number((await db.db.selectFrom('access_audit').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  const connectorProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/connector-stand-in.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let connectorOut = '';
  connectorProcess.stdout!.on('data', (chunk) => (connectorOut += chunk));
  const connector = {
    url: await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const m = /connector on (\S+)/.exec(connectorOut);
        if (m) {
          clearInterval(timer);
          resolve(m[1]);
        }
      }, 20);
      connectorProcess.once('exit', (code) => reject(new Error(`the connector stand-in exited (${code})`)));
    }),
  };
  const free = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
  const bot = spawn(process.execPath, [...(process.env.BENCH_BOT_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_BOT_CPU_PROF] : []), '--import', 'tsx', 'scripts/start.ts', 'bot'], {
    env: { ...process.env, PORT: String(free), BOT_PROCESSES: String(processes), DATABASE_URL: `sqlite:${path}`, BOT_ALLOW_UNAUTHENTICATED: '1', BOT_SERVER_TIMING: '1', MicrosoftAppId: '', MicrosoftAppPassword: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    bot.stdout!.on('data', (chunk) => {
      out += chunk;
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    bot.once('exit', (code) => reject(new Error(`the bot exited (${code}) before listening: ${out}`)));
  });
  const endpoint = `http://127.0.0.1:${port}/api/messages`;
  let serverMs: number[] = [];
  const say = async (text: string) => {
    const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(teamsMessage(connector.url, text, analyst.aad_object_id!)) });
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    serverMs.push(Number(/dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1] ?? NaN));
    await res.arrayBuffer();
  };
  /** One pass of messages through the bot: client times, server times, the bot's CPU. */
  const pass = async (texts: string[]) => {
    serverMs = [];
    const cpu = cpuSeconds(bot.pid!);
    const client = await pool(texts, say);
    return { ...client, server: serverMs, cpu: cpuSeconds(bot.pid!) - cpu };
  };
  const direct = async (id: string) => {
    const outcome = await consultProfile({ db: db.db, now: () => new Date() }, { aadObjectId: analyst.aad_object_id, channel: 'bench', conversationType: 'personal' }, id);
    JSON.stringify(outcome.kind === 'profile' ? profileCard(outcome.view) : noticeCard(outcome.notice));
  };

  await pass(ids.slice(0, 200).map((id) => `profile ${id}`)); // warm-up: JIT, SQLite page cache
  const ours = await pass(ids.map((id) => `profile ${id}`));
  // The framework's own floor: a text reply, no database.
  const floor = await pass(ids.map(() => 'help'));
  const peer = await pool(ids, direct);
  const auditAfter = Number((await db.db.selectFrom('access_audit').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  bot.kill('SIGTERM');
  await new Promise((resolve) => bot.once('exit', resolve));
  connectorProcess.kill('SIGTERM');
  await new Promise((resolve) => connectorProcess.once('exit', resolve));
  const cards = /(\d+) with a card/.exec(connectorOut)?.[1] ?? '?';
  await db.close();

  const server = describe(ours.server);
  const help = describe(floor.server);
  const o = describe(ours.ms);
  const p = describe(peer.ms);
  console.log(`TFD: ${people.toLocaleString('en-GB')} people; ${lookups.toLocaleString('en-GB')} profile lookups of random people, ${concurrency} in flight, as an analyst`);
  console.log(`ours, server-side (Server-Timing, bot in ${processes} process${processes > 1 ? 'es' : ''} of its own): ${fmt(server)}; ${Math.round(lookups / ours.seconds)} lookups/s; cards the connector stand-in received (own process, warm-up included): ${cards}`);
  console.log(`bot CPU per request (from /proc, immune to waiting): profile ${((1000 * ours.cpu) / lookups).toFixed(2)} ms, help ${((1000 * floor.cpu) / lookups).toFixed(2)} ms`);
  console.log(`ours, client round trip:                                 ${fmt(o)}`);
  console.log(`floor, server-side: \`help\` through the same pipeline (text reply, no database): ${fmt(help)}; ${Math.round(lookups / floor.seconds)} requests/s`);
  console.log(`peer (the same lookups called directly, no HTTP/framework): ${fmt(p)}; ${Math.round(lookups / peer.seconds)} lookups/s`);
  console.log(`ratio ours (server-side) / peer at p95: ${(server.p95 / p.p95).toFixed(2)}×; target server-side p95 < 50 ms: ${server.p95 < 50 ? 'met' : 'NOT met'}`);
  console.log(`audit entries written: ${(auditAfter - auditBefore).toLocaleString('en-GB')} (one per profile lookup: pipeline, peer and warm-up)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
