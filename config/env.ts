import { UserFacingError } from '../domain/errors.js';
import { z } from 'zod';
import type { MeetingDateWindow } from '../domain/meeting-dates.js';

/** The embedded default: a SQLite file in ./data, created on first use. */
export const DEFAULT_DATABASE_URL = 'sqlite:./data/tfd.sqlite';

const flag = z
  .enum(['0', '1', 'true', 'false', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true');

const schema = z.object({
  DATABASE_URL: z.string().min(1).default(DEFAULT_DATABASE_URL),
  /** Unset: 127.0.0.1:6379, else a redis-server started on a free port (see scripts/redis.ts). */
  REDIS_URL: z.string().url().optional(),
  /** Keeps several deployments (or test runs) apart on one Redis. */
  QUEUE_PREFIX: z.string().regex(/^[\w:-]+$/).default('tfd'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3978),
  MicrosoftAppId: z.string().default(''),
  MicrosoftAppPassword: z.string().default(''),
  MicrosoftAppTenantId: z.string().default(''),
  /** A versioned scoring configuration (index rules, bands); default worker/scoring/scoring-config.v1.json. */
  SCORING_CONFIG: z.string().min(1).optional(),
  /** Bot processes sharing PORT (`npm run start:bot` only): lookups are CPU-bound, so one per core serves concurrent users. */
  BOT_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  /**
   * Where the bot opens 1:1 chats with staff who have not installed it, to send them alerts
   * (with MicrosoftAppTenantId set; without a tenant their alerts are held). Teams' regional
   * service URLs work too.
   */
  TEAMS_SERVICE_URL: z.string().url().default('https://smba.trafficmanager.net/teams/'),
  /**
   * How long an alert job stays claimed by a worker that has stopped answering (killed, host lost)
   * before another worker takes it up and finishes the delivery.
   */
  ALERT_LOCK_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  /**
   * How often the alert worker re-queues what the database says is owed and Redis may have lost: a published run's
   * fan-out, an agenda's update requests, alerts pending or left sending past their lease. It also runs at start.
   */
  ALERT_RECONCILE_EVERY_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(300_000),
  /** The multi-agency meeting's cadence: every this many days (28: Bristol's four-weekly; 7 or 14 for MACE meetings elsewhere). */
  MEETING_EVERY_DAYS: z.coerce.number().int().min(1).max(365).default(28),
  /** A meeting date the cadence counts from (YYYY-MM-DD); unset, no agenda is drawn on a schedule (chairs type `meeting new`). */
  MEETING_FIRST_DATE: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD').optional(),
  /** How many days before each meeting the scheduled job draws its agenda and asks lead professionals for updates. */
  MEETING_AGENDA_DAYS_BEFORE: z.coerce.number().int().min(0).max(60).default(3),
  /** How many days before the latest run's as-of date a meeting may be dated (`meeting new`, the schedule; domain/meeting-dates.ts). */
  MEETING_DATES_BEFORE_RUN_DAYS: z.coerce.number().int().min(0).max(366).default(90),
  /** How many days after the latest run's as-of date a meeting may be dated. */
  MEETING_DATES_AFTER_RUN_DAYS: z.coerce.number().int().min(0).max(1096).default(548),
  /** The bot's address as users reach it (links in cards); default its listening address. */
  BOT_PUBLIC_URL: z.string().url().optional(),
  /** Signs the links the bot hands out (model card); default derived from MicrosoftAppPassword. Set the same value on every bot process. */
  BOT_LINK_SECRET: z.string().default(''),
  /** Only for local development: accepts unsigned requests, on loopback only. */
  BOT_ALLOW_UNAUTHENTICATED: flag,
  /**
   * Interface the bot listens on. Loopback by default, so only a reverse proxy
   * on the same host reaches it; set 0.0.0.0 in a container or App Service.
   * Unauthenticated local runs always use loopback.
   */
  BOT_HOST: z.string().ip().or(z.literal('localhost')).default('127.0.0.1'),
  /** Adds a Server-Timing header to bot replies (benchmarks only: it would let a caller time lookups). */
  BOT_SERVER_TIMING: flag,
  /** How long a bot lookup waits for a SQLite writer (an import or a run's writes) before answering "busy, try again". */
  BOT_DB_BUSY_TIMEOUT_MS: z.coerce.number().int().min(0).max(10_000).default(250),
});

export type AppConfig = Readonly<z.infer<typeof schema>>;

export class ConfigError extends UserFacingError {
  constructor(issues: z.ZodIssue[]) {
    super(`configuration is not valid:\n${issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
}

/** Reads the environment once, at start-up; everything else receives the result. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues);
  return Object.freeze(parsed.data);
}

/** The window of meeting dates around the latest run, as configured. */
export const meetingDateWindowOf = (config: AppConfig): MeetingDateWindow => ({ daysBeforeRun: config.MEETING_DATES_BEFORE_RUN_DAYS, daysAfterRun: config.MEETING_DATES_AFTER_RUN_DAYS });
