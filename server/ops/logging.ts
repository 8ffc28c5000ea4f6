// Logs an administrator can read: one line per request (method, path without its query string,
// status, time, user id), JSON for a log collector when NODE_ENV=production, a short readable line
// otherwise, silent under tests unless LOG_LEVEL says so. An unexpected error is logged with the
// reference the user was shown, so a phone call ("mã lỗi 1a2b3c4d") finds its stack trace.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import { pino, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Config } from '../config.ts';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * Production lines are written to stdout in batches: once 4 KB have gathered, or at the latest a second
 * after they were logged: one system call for many requests instead of one each (issue 23,
 * bench/request-cost.ts). An unexpected error's line is written at once (logUnexpectedError), and pino
 * writes what is left when the process exits.
 */
const LOG_BATCH_BYTES = 4096;
const LOG_FLUSH_MS = 1000;

export function createLogger(config: Pick<Config, 'env' | 'logLevel'>): Logger {
  if (config.env === 'production') {
    const stdout = pino.destination({ dest: 1, minLength: LOG_BATCH_BYTES, sync: false });
    setInterval(() => stdout.flush(), LOG_FLUSH_MS).unref();
    return pino({ level: config.logLevel, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, stdout);
  }
  return pino({ level: config.logLevel, base: undefined }, { write: (line: string) => void process.stdout.write(readable(line)) });
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** One JSON log line as a person reads it: time, level, the request, then anything else. */
function readable(line: string): string {
  const { level, time, msg, method, path, status, durationMs, userId, errorRef, err, reqId: _reqId, ...rest } = JSON.parse(line) as Record<string, any>;
  void _reqId;
  const clock = new Date(time as number).toTimeString().slice(0, 8);
  const ref = errorRef ? ` ref ${errorRef}` : '';
  const request = status !== undefined ? `${method} ${path} ${status} ${durationMs} ms${userId ? ` user ${userId}` : ''}${ref}` : `${msg}${method ? ` (${method} ${path})` : ''}`;
  const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
  const stack = err?.stack ? `\n${err.stack}` : '';
  return `${clock} ${(LEVELS[level as number] ?? String(level)).padEnd(5)} ${request}${extra}${stack}\n`;
}

/** The path as logged: never the query string, where tokens and search words travel. */
function pathOf(req: IncomingMessage): string {
  const url = (req as Request).originalUrl ?? req.url ?? '';
  return url.split('?')[0] ?? '';
}

function requestFields(req: IncomingMessage, res: ServerResponse, responseTime: number) {
  const user = (req as Request).user as { id?: number } | undefined;
  const errorRef = (res as Response).locals?.errorRef as string | undefined;
  return { method: req.method, path: pathOf(req), status: res.statusCode, durationMs: responseTime, ...(user?.id ? { userId: user.id } : {}), ...(errorRef ? { errorRef } : {}) };
}

/** One line per finished request; 5xx at error, everything else at info. */
export function requestLogger(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    quietReqLogger: true,
    quietResLogger: true,
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessObject: (req, res, value: { responseTime: number }) => requestFields(req, res, value.responseTime),
    customSuccessMessage: () => 'request',
    customErrorObject: (req, res, _error, value: { responseTime: number }) => requestFields(req, res, value.responseTime),
    customErrorMessage: () => 'request failed',
  }) as unknown as RequestHandler;
}

/** The error handler's log of an unexpected error, under the reference the user is shown. */
export function logUnexpectedError(req: Request, res: Response, ref: string, error: unknown): void {
  res.locals.errorRef = ref;
  const log = (req as { log?: Logger }).log;
  if (log?.isLevelEnabled('error')) {
    log.error({ errorRef: ref, err: error, method: req.method, path: pathOf(req) }, `error ${ref}`);
    log.flush(); // not with the next batch: the administrator looks for this line now
  } else console.error(`[error ${ref}] ${req.method} ${pathOf(req)}`, error);
}
