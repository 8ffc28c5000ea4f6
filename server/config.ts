// Reads process.env once, validates it, and exports one frozen, typed settings object.
// No other module reads process.env (tests build their own Config with `loadConfig(overrides)`).
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import Joi from 'joi';

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** Real PostgreSQL server; unset means the embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  sessionSecret: string;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  apiTokenDays: number;
  demoPassword: string;
  loginThrottle: { windowMinutes: number; maxPerAccount: number; maxPerAddress: number };
  /** Express `trust proxy`: set when the app runs behind a reverse proxy that sets X-Forwarded-For. */
  trustProxy: boolean;
  publicUrl: string;
  /** PUPPETEER_EXECUTABLE_PATH: the Chromium for PDFs; unset means Puppeteer's own or the system's. */
  chromiumPath: string | undefined;
  /** Pages rendering PDFs at once in this process. */
  renderConcurrency: number;
  /** Whether this process runs print jobs (set false on app processes when separate workers do). */
  runPrintJobs: boolean;
  /** A print job whose worker died is handed to another worker after this many seconds. */
  printJobExpireSeconds: number;
  /** LOG_LEVEL: info by default, silent under NODE_ENV=test unless set. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Why PUBLIC_URL would print unusable QR codes in production; undefined when it is fine. */
  publicUrlWarning: string | undefined;
}

const schema = Joi.object({
  NODE_ENV: Joi.string().valid('development', 'production', 'test').default('development'),
  PORT: Joi.number().integer().min(0).max(65535).default(3000),
  HOST: Joi.string().default('0.0.0.0'),
  DATABASE_URL: Joi.string().uri({ scheme: ['postgres', 'postgresql'] }).empty(''),
  DATA_DIR: Joi.string().default('./data'),
  SESSION_SECRET: Joi.string().min(32).empty(''),
  SESSION_IDLE_MINUTES: Joi.number().integer().min(1).default(60),
  SESSION_ABSOLUTE_HOURS: Joi.number().integer().min(1).default(12),
  API_TOKEN_DAYS: Joi.number().integer().min(1).max(365).default(30),
  DEMO_PASSWORD: Joi.string().min(8).default('DanVanKheo@2025'),
  LOGIN_THROTTLE_WINDOW_MINUTES: Joi.number().integer().min(1).default(15),
  LOGIN_THROTTLE_MAX_PER_ACCOUNT: Joi.number().integer().min(1).default(5),
  LOGIN_THROTTLE_MAX_PER_ADDRESS: Joi.number().integer().min(1).default(30),
  TRUST_PROXY: Joi.boolean().default(false),
  PUBLIC_URL: Joi.string().uri({ scheme: ['http', 'https'] }).empty(''),
  PUPPETEER_EXECUTABLE_PATH: Joi.string().empty(''),
  RENDER_CONCURRENCY: Joi.number().integer().min(1).max(16).default(2),
  RUN_PRINT_JOBS: Joi.boolean().default(true),
  PRINT_JOB_EXPIRE_SECONDS: Joi.number().integer().min(10).max(86_400).default(300),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').empty(''),
}).unknown(true);

export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const { value, error } = schema.validate(env, { abortEarly: false });
  if (error) {
    throw new Error(`Cấu hình sai / invalid settings: ${error.details.map((d) => d.message).join('; ')}`);
  }
  const nodeEnv = value.NODE_ENV as Config['env'];
  if (nodeEnv === 'production' && !value.SESSION_SECRET) {
    throw new Error('SESSION_SECRET (at least 32 characters) is required when NODE_ENV=production');
  }
  if (nodeEnv === 'production' && env.DEMO_PASSWORD === undefined) {
    // The documented demo password must never guard a production database.
    value.DEMO_PASSWORD = randomBytes(18).toString('base64url');
  }
  return Object.freeze({
    env: nodeEnv,
    port: value.PORT,
    host: value.HOST,
    databaseUrl: value.DATABASE_URL,
    dataDir: resolve(value.DATA_DIR),
    // Without a configured secret, sessions simply do not survive a restart: safe, and fine for a demo.
    sessionSecret: value.SESSION_SECRET ?? randomBytes(32).toString('hex'),
    sessionIdleMinutes: value.SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: value.SESSION_ABSOLUTE_HOURS,
    apiTokenDays: value.API_TOKEN_DAYS,
    demoPassword: value.DEMO_PASSWORD,
    loginThrottle: Object.freeze({
      windowMinutes: value.LOGIN_THROTTLE_WINDOW_MINUTES,
      maxPerAccount: value.LOGIN_THROTTLE_MAX_PER_ACCOUNT,
      maxPerAddress: value.LOGIN_THROTTLE_MAX_PER_ADDRESS,
    }),
    trustProxy: value.TRUST_PROXY,
    publicUrl: value.PUBLIC_URL ?? `http://localhost:${value.PORT}`,
    chromiumPath: value.PUPPETEER_EXECUTABLE_PATH,
    renderConcurrency: value.RENDER_CONCURRENCY,
    runPrintJobs: value.RUN_PRINT_JOBS,
    printJobExpireSeconds: value.PRINT_JOB_EXPIRE_SECONDS,
    logLevel: value.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    publicUrlWarning: nodeEnv === 'production' ? publicUrlProblem(value.PUBLIC_URL) : undefined,
  });
}

/** Every QR code carries PUBLIC_URL: in production it must be the address the public reaches. */
function publicUrlProblem(publicUrl: string | undefined): string | undefined {
  if (!publicUrl) return 'PUBLIC_URL is not set';
  const host = new URL(publicUrl).hostname;
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host === '[::1]' || host.startsWith('127.') || host === '0.0.0.0') return `PUBLIC_URL points at ${host}`;
  return undefined;
}
