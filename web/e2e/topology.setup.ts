import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort, startDetached, stop, until } from './processes';

const root = fileURLToPath(new URL('../../', import.meta.url));
const logs = `${root}artifacts/e2e-logs/`;

/**
 * Starts the local topology (AppHost/: its own servers, 2 orders replicas, 1 payments, the gateway) through
 * scripts/run.sh on free ports and a data folder of its own, and points the tests at it; returns the teardown. With
 * E2E_BASE_URL set, tests use that running system instead. E2E_RUN_ARGS adds options to run.sh (test.sh passes
 * `--configuration Debug --no-build` after its own build).
 */
export default async function setup(): Promise<() => Promise<void>> {
  if (process.env.E2E_BASE_URL) return async () => {};
  mkdirSync(logs, { recursive: true });

  const gateway = await freePort();
  const orders = await freePort(2);
  const payments = await freePort();
  const dashboard = await freePort(2);
  const [postgres, redis, zookeeper, kafka] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const runLog = `${logs}run.log`;
  const data = `${root}artifacts/e2e-data`;
  rmSync(data, { recursive: true, force: true });
  const args = [
    ...['--port', `${gateway}`, '--orders-port', `${orders}`, '--payments-port', `${payments}`, '--dashboard-port', `${dashboard}`],
    ...['--data', data, `--Topology:PostgresPort=${postgres}`, `--Topology:RedisPort=${redis}`],
    ...[`--Topology:ZooKeeperPort=${zookeeper}`, `--Topology:KafkaPort=${kafka}`],
    // Every test creates users; the per-IP limit on account creation must not get in the way.
    '--Topology:Settings:RateLimiting__AccountCreation__PermitLimit=100000',
  ];
  args.push(...(process.env.E2E_RUN_ARGS ?? '').split(' ').filter(Boolean));
  const run = startDetached('bash', [`${root}scripts/run.sh`, ...args], runLog, { cwd: root });
  let exited: string | null = null;
  run.once('exit', (code) => (exited = `scripts/run.sh exited (${code}); see ${runLog}`));
  // The AppHost stops every process it started and returns once their ports are free (Kafka takes a few seconds).
  const teardown = () => stop(run.pid!, 45_000);

  try {
    const base = `http://127.0.0.1:${gateway}`;
    await until('the topology started by scripts/run.sh', () => ready(runLog), 300_000, () => exited);
    if (!(await servesSpa(base))) throw new Error(`the gateway does not serve the SPA at ${base}/ (is web/dist built?)`);
    await until('a first payment', () => settlesAnOrder(base), 90_000, () => exited);
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

function ready(runLog: string): boolean {
  return readFileSync(runLog, 'utf8').includes('Shop is ready at');
}

async function servesSpa(base: string): Promise<boolean> {
  const response = await fetch(`${base}/`);
  return response.ok && (response.headers.get('Content-Type') ?? '').includes('text/html');
}

/** Consumers join their groups after the hosts are ready: once one order settles, all is warm. */
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
