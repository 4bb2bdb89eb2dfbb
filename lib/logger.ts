import pino, { type Logger } from 'pino';

// One pino root; components take a child with {component}. Messages are constant strings, the
// variable parts go in fields, and secret values never go in either.
const level = process.env.KINGLET_LOG_LEVEL ?? 'info';
export const rootLogger: Logger = pino({ level, base: { pid: process.pid } }, pino.destination(2));

export function logger(component: string, fields: Record<string, unknown> = {}): Logger {
  return rootLogger.child({ component, ...fields });
}

export type { Logger };
