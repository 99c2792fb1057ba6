import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { answers, freePort, startDetached, stop, until } from './processes';

const web = fileURLToPath(new URL('../', import.meta.url));
const root = fileURLToPath(new URL('../../', import.meta.url));
const logs = `${root}artifacts/e2e-logs/`;

/**
 * Starts the local topology (scripts/run.sh: 2 orders replicas, 1 payments, the gateway) on free ports and
 * points the tests at it; returns the teardown. With E2E_BASE_URL set, tests use that running system instead.
 * E2E_RUN_ARGS adds options to run.sh (test.sh passes `--configuration Debug --no-build` after its own build).
 */
export default async function setup(): Promise<() => Promise<void>> {
  if (process.env.E2E_BASE_URL) return async () => {};
  mkdirSync(logs, { recursive: true });

  const gateway = await freePort();
  const orders = await freePort(2);
  const payments = await freePort();
  const runLog = `${logs}run.log`;
  const args = ['--port', `${gateway}`, '--orders-port', `${orders}`, '--payments-port', `${payments}`];
  args.push(...(process.env.E2E_RUN_ARGS ?? '').split(' ').filter(Boolean));
  const run = startDetached('bash', [`${root}scripts/run.sh`, ...args], runLog, {
    cwd: root,
    // Every test creates users; the per-IP limit on account creation must not get in the way.
    env: { ...process.env, RateLimiting__AccountCreation__PermitLimit: '100000' },
  });
  let exited: string | null = null;
  run.once('exit', (code) => (exited = `scripts/run.sh exited (${code}); see ${runLog}`));
  const stopAll: (() => Promise<void>)[] = [() => stop(run.pid!)];
  const teardown = async () => {
    for (const step of stopAll.reverse()) await step();
  };

  try {
    const base = `http://127.0.0.1:${gateway}`;
    await until('the topology started by scripts/run.sh', () => ready(runLog), 300_000, () => exited);
    process.env.E2E_BASE_URL = (await servesSpa(base)) ? base : await startPreview(base, stopAll);
    process.env.E2E_GATEWAY_URL = base;
    process.env.E2E_ORDERS_PORTS = `${orders},${orders + 1}`;
    process.env.E2E_LOGS = logs;
    return teardown;
  } catch (error) {
    await teardown();
    throw error;
  }
}

async function ready(runLog: string): Promise<boolean> {
  return readFileSync(runLog, 'utf8').includes('Shop is ready at');
}

async function servesSpa(base: string): Promise<boolean> {
  const response = await fetch(`${base}/`);
  return response.ok && (response.headers.get('Content-Type') ?? '').includes('text/html');
}

/** Until the gateway serves web/dist itself: Vite's preview server with the APIs proxied to the gateway. */
async function startPreview(gateway: string, stopAll: (() => Promise<void>)[]): Promise<string> {
  if (!existsSync(`${web}dist/index.html`)) throw new Error('web/dist is missing: run `npm run build` first');
  const port = await freePort();
  const preview = startDetached(`${web}node_modules/.bin/vite`, ['preview', '--host', '127.0.0.1', '--port', `${port}`, '--strictPort'], `${logs}preview.log`, {
    cwd: web,
    env: { ...process.env, SHOP_GATEWAY: gateway },
  });
  stopAll.push(() => stop(preview.pid!, 5000));
  const url = `http://127.0.0.1:${port}`;
  await until('vite preview', () => answers(`${url}/`), 30_000);
  return url;
}
