import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort, startDetached, stop, until } from './processes';

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
  const runId = `${Date.now().toString(36)}-${process.pid}`;
  const args = ['--port', `${gateway}`, '--orders-port', `${orders}`, '--payments-port', `${payments}`];
  args.push(...(process.env.E2E_RUN_ARGS ?? '').split(' ').filter(Boolean));
  const run = startDetached('bash', [`${root}scripts/run.sh`, ...args], runLog, {
    cwd: root,
    env: {
      ...process.env,
      // Every test creates users; the per-IP limit on account creation must not get in the way.
      RateLimiting__AccountCreation__PermitLimit: '100000',
      // Topics (and so consumer groups) of this run only: other systems on the same broker cause no rebalances
      // here. The broker creates them on first use; consumers look for them every 2 s.
      Topics__OrdersEvents: `e2e-${runId}-orders-events`,
      Topics__PaymentsEvents: `e2e-${runId}-payments-events`,
      'Kafka__Client__topic.metadata.refresh.interval.ms': '2000',
    },
  });
  let exited: string | null = null;
  run.once('exit', (code) => (exited = `scripts/run.sh exited (${code}); see ${runLog}`));
  const teardown = () => stop(run.pid!);

  try {
    const base = `http://127.0.0.1:${gateway}`;
    await until('the topology started by scripts/run.sh', () => ready(runLog), 300_000, () => exited);
    if (!(await servesSpa(base))) throw new Error(`the gateway does not serve the SPA at ${base}/ (is web/dist built?)`);
    await until('a first payment through the new topics', () => settlesAnOrder(base), 90_000, () => exited);
    process.env.E2E_BASE_URL = base;
    process.env.E2E_ORDERS_PORTS = `${orders},${orders + 1}`;
    process.env.E2E_PAYMENTS_PORT = `${payments}`;
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

/** The topics of this run are created on first use and consumers join them: once one order settles, all is warm. */
let warmUp: { token: string; orderId: string } | undefined;
async function settlesAnOrder(base: string): Promise<boolean> {
  if (!warmUp) {
    const account = (await (await fetch(`${base}/payments-api/accounts`, { method: 'POST' })).json()) as { token: string };
    const headers = { Authorization: `Bearer ${account.token}` };
    const order = (await (await fetch(`${base}/orders-api/orders`, { method: 'POST', headers })).json()) as { id: string };
    warmUp = { token: account.token, orderId: order.id };
  }
  const response = await fetch(`${base}/orders-api/orders/${warmUp.orderId}`, { headers: { Authorization: `Bearer ${warmUp.token}` } });
  return response.ok && ((await response.json()) as { status: string }).status !== 'created';
}
