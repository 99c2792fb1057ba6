import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from './accessibility';
import { startFromDashboard } from './dashboard';
import { alive, answers, pidListeningOn, until } from './processes';
import { money, Shop } from './shop';

const ordersPorts = (process.env.E2E_ORDERS_PORTS ?? '').split(',').filter(Boolean).map(Number);
const paymentsPort = Number(process.env.E2E_PAYMENTS_PORT ?? 0);

test('an order cancelled before its payment stays cancelled, and a charge that lands late is refunded', async ({ page }) => {
  test.skip(!paymentsPort, 'needs the topology this suite starts (the payments replica on a known port)');
  test.setTimeout(120_000);
  const shop = await new Shop(page).open();
  await shop.fund(1000);
  const payments = pidListeningOn(paymentsPort);
  process.kill(payments, 'SIGSTOP'); // the payment cannot happen before the cancel
  try {
    const row = await shop.createOrder();
    await expect(row.getByText('Awaiting payment')).toBeVisible();
    await expectNoAxeViolations(page, 'an order awaiting payment, with its cancel button');

    await row.getByRole('button', { name: /^Cancel order / }).click();

    await expect(row.getByText('Cancelled', { exact: true })).toBeVisible();
    await expect(row.locator('td[data-label="Details"]')).toHaveText('Cancelled by you');
    await shop.screenshot('09-cancelled-before-payment');
    await expectNoAxeViolations(page, 'an order cancelled before its payment');
  } finally {
    process.kill(payments, 'SIGCONT');
  }
  // The payments module saw order.created before order.cancelled: it charged, then refunded.
  await expect(shop.rows.first().getByText('Refunded', { exact: true })).toBeVisible({ timeout: 45_000 });
  await expect(shop.balance).toHaveText(money(1000));
});

test('the live stream survives an orders replica being killed', async ({ page, browser }) => {
  test.skip(ordersPorts.length !== 2, 'needs the topology this suite starts (two orders replicas on known ports)');
  test.setTimeout(150_000);
  const [first, second] = ordersPorts as [number, number];
  const shop = await new Shop(page).open();
  await shop.fund(2000); // enough for both orders below: each costs at most 1000
  await shop.markDocument();

  // Whichever replica holds the stream now, after this it is the second one: the only one left.
  const victim = pidListeningOn(first);
  process.kill(victim, 'SIGKILL');
  await until('the first replica to die', () => !alive(victim), 10_000);
  await expect((await shop.createOrder()).getByText('Paid', { exact: true })).toBeVisible({ timeout: 45_000 });
  await shop.expectLive();

  await startFromDashboard(browser, 'orders-1');
  await until('the restarted replica to be ready', () => answers(`http://127.0.0.1:${first}/orders-api/health/ready`), 60_000);

  await shop.recordConnectionStates();
  process.kill(pidListeningOn(second), 'SIGKILL');
  await expect.poll(() => shop.connectionStates(), { timeout: 30_000 }).toContain('reconnecting');
  await expect(shop.connection).toHaveAttribute('data-state', 'live', { timeout: 45_000 });

  const row = await shop.createOrder();
  await expect(row.getByText('Paid', { exact: true })).toBeVisible({ timeout: 45_000 });
  await shop.expectSameDocument();
  await shop.screenshot('05-after-replica-killed');
  await expectNoAxeViolations(page, 'live again after a replica was killed');
});
