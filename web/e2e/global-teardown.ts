import { rmSync } from 'node:fs';
import { server } from './support/server';

export default async function globalTeardown(): Promise<void> {
  const { pid, dir } = server();
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
  await new Promise((r) => setTimeout(r, 500));
  rmSync(dir, { recursive: true, force: true });
}
