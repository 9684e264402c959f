// Where the portal started by the global setup listens, and the environment it runs with
// (so a test can run the portal's CLI, e.g. `portal ml score-db`, against the same city).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const STATE_FILE = join(here, '..', '.state', 'server.json');
export const REPO = join(here, '..', '..', '..');

export interface ServerState {
  baseURL: string;
  env: Record<string, string>;
  pid: number;
  dir: string;
}

export function server(): ServerState {
  return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as ServerState;
}
