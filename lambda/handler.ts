import { buildHandler } from './app';
import { loadConfig } from './config';

/** The Lambda entry point. Configuration is read and validated once, at cold start. */
export const handler = buildHandler(loadConfig());
