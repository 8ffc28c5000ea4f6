// Reads process.env once, validates it, and exports one frozen, typed settings object.
// No other module reads process.env (tests build their own Config with `loadConfig(overrides)`).
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
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
  /** log2 of scrypt's N for new password hashes (PASSWORD_HASH_COST, 17; only the tests lower it). */
  passwordHashCost: number;
  demoPassword: string;
  loginThrottle: {
    windowMinutes: number;
    /** Failures per account (from addresses it never logged in from) and free failures per (account, address). */
    maxPerAccount: number;
    maxPerAddress: number;
    /** After maxPerAccount failures of one (account, address), it waits this long, doubled at each further failure. */
    delaySeconds: number;
    maxDelayMinutes: number;
    /** How long the failures of one (account, address) pair are remembered for its delay. */
    pairMemoryHours: number;
    /** An address the account logged in from successfully within this many days escapes the per-account limit. */
    knownAddressDays: number;
  };
  /**
   * Express `trust proxy`: false, a number of proxy hops, or the proxies' addresses and subnets
   * (`loopback`, `10.0.0.0/8`). Never "trust everything": the client writes the left-most X-Forwarded-For entry.
   */
  trustProxy: false | number | string[];
  publicUrl: string;
  /** PUPPETEER_EXECUTABLE_PATH: the Chromium for PDFs; unset means the system's, else the packaged one. */
  chromiumPath: string | undefined;
  /** CHROMIUM_SYSTEM=false: never a system Chromium, the packaged one (@sparticuz/chromium) instead. */
  chromiumSystem: boolean;
  /** Pages rendering PDFs at once in this process. */
  renderConcurrency: number;
  /** Whether this process runs print jobs (set false on app processes when separate workers do). */
  runPrintJobs: boolean;
  /** A print job whose worker died is handed to another worker after this many seconds. */
  printJobExpireSeconds: number;
  /** Spreadsheet imports parsed at once in this process (more answer 429), and the most an .xlsx may inflate to. */
  imports: { concurrency: number; maxUncompressedBytes: number };
  /** LOG_LEVEL: info by default, silent under NODE_ENV=test unless set. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Why PUBLIC_URL would print unusable QR codes in production; undefined when it is fine. */
  publicUrlWarning: string | undefined;
  /** E-mail of notifications: SMTP_URL (`smtp://user:pass@host:587`, `smtps://...`); unset means no e-mail is sent. */
  mail: { smtpUrl: string | undefined; from: string };
  /**
   * PAdES signing of decisions and certificates: SIGNING_P12 (a PKCS#12 file) with SIGNING_P12_PASSWORD
   * signs for every body; SIGNING_P12_DIR holds `<unit code>.p12` files for bodies with their own key,
   * each opened with SIGNING_P12_PASSWORD_<CODE> (non-alphanumerics as '_') or else SIGNING_P12_PASSWORD.
   */
  signing: { p12Path: string | undefined; password: string; dir: string | undefined; unitPasswords: Readonly<Record<string, string>> };
}

/** The sender of notification e-mails when MAIL_FROM is not set. */
export const DEFAULT_MAIL_FROM = '"Sổ Dân vận khéo" <no-reply@localhost>';

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
  PASSWORD_HASH_COST: Joi.number().integer().min(10).max(20).default(17),
  LOGIN_THROTTLE_WINDOW_MINUTES: Joi.number().integer().min(1).default(15),
  LOGIN_THROTTLE_MAX_PER_ACCOUNT: Joi.number().integer().min(1).default(5),
  LOGIN_THROTTLE_MAX_PER_ADDRESS: Joi.number().integer().min(1).default(30),
  LOGIN_THROTTLE_DELAY_SECONDS: Joi.number().integer().min(1).default(30),
  LOGIN_THROTTLE_MAX_DELAY_MINUTES: Joi.number().integer().min(1).default(60),
  LOGIN_THROTTLE_PAIR_MEMORY_HOURS: Joi.number().integer().min(1).default(24),
  LOGIN_KNOWN_ADDRESS_DAYS: Joi.number().integer().min(0).default(30),
  TRUST_PROXY: Joi.string().trim().empty('').default('false'),
  PUBLIC_URL: Joi.string().uri({ scheme: ['http', 'https'] }).empty(''),
  PUPPETEER_EXECUTABLE_PATH: Joi.string().empty(''),
  CHROMIUM_SYSTEM: Joi.boolean().default(true),
  RENDER_CONCURRENCY: Joi.number().integer().min(1).max(16).default(2),
  RUN_PRINT_JOBS: Joi.boolean().default(true),
  PRINT_JOB_EXPIRE_SECONDS: Joi.number().integer().min(10).max(86_400).default(300),
  IMPORT_CONCURRENCY: Joi.number().integer().min(1).max(16).default(2),
  IMPORT_MAX_UNCOMPRESSED_MB: Joi.number().integer().min(1).max(2048).default(100),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').empty(''),
  SMTP_URL: Joi.string().uri({ scheme: ['smtp', 'smtps'] }).empty(''),
  MAIL_FROM: Joi.string().trim().max(300).custom(mailbox).empty('').default(DEFAULT_MAIL_FROM),
  SIGNING_P12: Joi.string().empty(''),
  SIGNING_P12_PASSWORD: Joi.string().allow('').default(''),
  SIGNING_P12_DIR: Joi.string().empty(''),
}).unknown(true);

const UNIT_PASSWORD_PREFIX = 'SIGNING_P12_PASSWORD_';

/** `address@host` or `"Name" <address@host>` (or `Name <address@host>`): one sender mailbox, no line breaks. */
function mailbox(value: string, helpers: Joi.CustomHelpers) {
  const address = /^(?:"[^"\r\n]*"|[^"<>\r\n]*)\s*<([^<>\s]+)>$/.exec(value)?.[1] ?? value;
  if (Joi.string().email({ tlds: false, minDomainSegments: 1 }).validate(address).error) return helpers.error('any.invalid');
  return value;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const { value, error } = schema.validate(env, { abortEarly: false });
  if (error) {
    throw new Error(`Cấu hình sai / invalid settings: ${error.details.map((d) => d.message).join('; ')}`);
  }
  const nodeEnv = value.NODE_ENV as Config['env'];
  if (nodeEnv === 'production' && !value.SESSION_SECRET) {
    throw new Error('SESSION_SECRET (at least 32 characters) is required when NODE_ENV=production');
  }
  if (nodeEnv === 'production' && value.PASSWORD_HASH_COST < 17) {
    throw new Error('PASSWORD_HASH_COST below 17 (scrypt N=2^17) is for the tests only, never with NODE_ENV=production');
  }
  const trustProxy = parseTrustProxy(value.TRUST_PROXY);
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
    /** log2 of scrypt's N for new password hashes: 17 (OWASP's floor); the tests lower it for speed. */
    passwordHashCost: value.PASSWORD_HASH_COST,
    loginThrottle: Object.freeze({
      windowMinutes: value.LOGIN_THROTTLE_WINDOW_MINUTES,
      maxPerAccount: value.LOGIN_THROTTLE_MAX_PER_ACCOUNT,
      maxPerAddress: value.LOGIN_THROTTLE_MAX_PER_ADDRESS,
      delaySeconds: value.LOGIN_THROTTLE_DELAY_SECONDS,
      maxDelayMinutes: value.LOGIN_THROTTLE_MAX_DELAY_MINUTES,
      pairMemoryHours: value.LOGIN_THROTTLE_PAIR_MEMORY_HOURS,
      knownAddressDays: value.LOGIN_KNOWN_ADDRESS_DAYS,
    }),
    trustProxy,
    publicUrl: value.PUBLIC_URL ?? `http://localhost:${value.PORT}`,
    chromiumPath: value.PUPPETEER_EXECUTABLE_PATH,
    chromiumSystem: value.CHROMIUM_SYSTEM,
    renderConcurrency: value.RENDER_CONCURRENCY,
    runPrintJobs: value.RUN_PRINT_JOBS,
    printJobExpireSeconds: value.PRINT_JOB_EXPIRE_SECONDS,
    imports: Object.freeze({ concurrency: value.IMPORT_CONCURRENCY, maxUncompressedBytes: value.IMPORT_MAX_UNCOMPRESSED_MB * 1024 * 1024 }),
    logLevel: value.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    publicUrlWarning: nodeEnv === 'production' ? publicUrlProblem(value.PUBLIC_URL) : undefined,
    mail: Object.freeze({ smtpUrl: value.SMTP_URL, from: value.MAIL_FROM }),
    signing: Object.freeze({
      p12Path: value.SIGNING_P12 === undefined ? undefined : resolve(value.SIGNING_P12),
      password: value.SIGNING_P12_PASSWORD,
      dir: value.SIGNING_P12_DIR === undefined ? undefined : resolve(value.SIGNING_P12_DIR),
      unitPasswords: Object.freeze(Object.fromEntries(Object.entries(env).filter(([key, secret]) => key.startsWith(UNIT_PASSWORD_PREFIX) && secret !== undefined).map(([key, secret]) => [key.slice(UNIT_PASSWORD_PREFIX.length), secret as string]))),
    }),
  });
}

/** Every QR code carries PUBLIC_URL: in production it must be the address the public reaches. */
function publicUrlProblem(publicUrl: string | undefined): string | undefined {
  if (!publicUrl) return 'PUBLIC_URL is not set';
  const host = new URL(publicUrl).hostname;
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host === '[::1]' || host.startsWith('127.') || host === '0.0.0.0') return `PUBLIC_URL points at ${host}`;
  return undefined;
}

const TRUST_PROXY_HELP = 'TRUST_PROXY: use false, the number of proxies in front of the app (1), or their addresses (loopback, 10.0.0.0/8, 192.168.1.10)';
const ADDRESS_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY as Express's `trust proxy` takes it. `true` would make Express take the left-most
 * X-Forwarded-For entry, which the client writes itself, so it is read as one proxy hop (right for
 * one balancer in front, the setup `true` was suggested for), with a warning.
 */
export function parseTrustProxy(raw: string): false | number | string[] {
  const value = raw.trim().toLowerCase();
  if (value === 'false' || value === '0') return false;
  if (value === 'true') {
    console.warn(`TRUST_PROXY=true is read as 1 (one proxy hop), never "trust every address". ${TRUST_PROXY_HELP}.`);
    return 1;
  }
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim()).filter(Boolean);
  const bad = entries.filter((entry) => !ADDRESS_NAMES.has(entry) && !isAddressOrSubnet(entry));
  if (entries.length === 0 || bad.length > 0) throw new Error(`Cấu hình sai / invalid settings: TRUST_PROXY "${raw}" is not understood. ${TRUST_PROXY_HELP}.`);
  return entries;
}

function isAddressOrSubnet(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (/^\d+$/.test(prefix)) return Number(prefix) <= (version === 4 ? 32 : 128);
  return version === 4 && isIP(prefix) === 4; // a netmask: 10.0.0.0/255.0.0.0
}
