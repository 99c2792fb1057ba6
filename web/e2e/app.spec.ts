import { expect, test } from '@playwright/test';
import { sessionKey } from '../src/session/session';
import { expectNoAxeViolations } from './accessibility';
import { amountOf, money, Shop } from './shop';

test('a new user tops up, creates orders and sees them paid without reloading', async ({ page }) => {
  const keys: string[] = [];
  page.on('request', (r) => r.method() === 'POST' && r.url().match(/topup|orders$/) && keys.push(r.headers()['idempotency-key'] ?? ''));
  const problems: string[] = []; // script errors, and anything the Content-Security-Policy blocks
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  const shop = await new Shop(page).open();
  await expect(shop.noOrders).toBeVisible();
  await expect(shop.balance).toHaveText('$0.00');
  await shop.screenshot('01-new-user');
  await expectNoAxeViolations(page, 'a new user: account created, no orders');
  await shop.markDocument();

  await shop.topUp(19, money(1900));
  await shop.topUpButton.focus();
  await page.keyboard.press('Enter');
  await expect(shop.balance).toHaveText(money(2000));
  const first = await shop.createOrder();
  await expect(first.getByText('Paid', { exact: true })).toBeVisible();
  const second = await shop.createOrder();
  await expect(second.getByText('Paid', { exact: true })).toBeVisible();

  const spent = (await amountOf(first)) + (await amountOf(second));
  await expect(shop.balance).toHaveText(money(2000 - spent));
  await expect(shop.rows).toHaveCount(2);
  await expect(page.getByTestId('announcer')).toHaveText(/: Paid$/);
  await shop.expectSameDocument();
  expect(keys).toHaveLength(22);
  expect(new Set(keys).size).toBe(22);
  expect(problems).toEqual([]);
  await shop.screenshot('02-orders-paid');
  await expectNoAxeViolations(page, 'two orders paid live');
});

test('a user with no money sees "Insufficient funds", and is paid once funded', async ({ page }) => {
  const shop = await new Shop(page).open();

  const row = await shop.createOrder();

  await expect(row.getByText('Payment failed')).toBeVisible();
  await expect(row.locator('td[data-label="Details"]')).toHaveText('Insufficient funds');
  await expect(shop.balance).toHaveText('$0.00');
  await shop.screenshot('03-insufficient-funds');
  await expectNoAxeViolations(page, 'an order failed: insufficient funds');

  await shop.fund(1000);
  const paid = await shop.createOrder();
  await expect(paid.getByText('Paid', { exact: true })).toBeVisible();
  await expect(row.locator('td[data-label="Details"]')).toHaveText('Insufficient funds');
  await expect(shop.balance).toHaveText(money(1000 - (await amountOf(paid))));
  await shop.screenshot('03-paid-and-failed');
  await expectNoAxeViolations(page, 'a paid and a failed order');
});

test('a paid order cancelled by its owner is refunded and the balance comes back', async ({ page }) => {
  const shop = await new Shop(page).open();
  await shop.fund(1000);
  const row = await shop.createOrder();
  await expect(row.getByText('Paid', { exact: true })).toBeVisible();
  await expect(shop.balance).toHaveText(money(1000 - (await amountOf(row))));

  await row.getByRole('button', { name: /^Cancel order / }).click();

  await expect(row.getByText('Refunded', { exact: true })).toBeVisible();
  await expect(row.locator('td[data-label="Details"]')).toHaveText('Cancelled by you, money returned');
  await expect(shop.balance).toHaveText(money(1000));
  await expect(row.getByRole('button', { name: /^Cancel order / })).toHaveCount(0);
  await shop.screenshot('08-cancelled-and-refunded');
  await expectNoAxeViolations(page, 'a paid order cancelled and refunded');
});

test('logging out gives a new user with no orders, who is remembered', async ({ page }) => {
  const shop = await new Shop(page).open();
  await shop.createOrder();
  const before = await shop.session();

  await shop.logOutButton.click();

  await expect(shop.userId).not.toHaveText(before.userId);
  await expect(shop.noOrders).toBeVisible();
  await shop.expectLive();
  await expectNoAxeViolations(page, 'a new user after logging out');
  const after = await shop.session();
  expect(after.userId).not.toBe(before.userId);
  await expect(shop.userId).toHaveText(after.userId);
  await page.reload();
  await expect(shop.userId).toHaveText(after.userId);
  await expect(shop.noOrders).toBeVisible();
  // The server ended the old session: its token is refused, not merely forgotten by the browser.
  const old = await page.request.get('/orders-api/orders', { headers: { Authorization: `Bearer ${before.token}` } });
  expect(old.status()).toBe(401);
});

test('a bearer token about to expire is renewed before the dashboard uses it', async ({ page }) => {
  const account = (await (await page.request.post('/payments-api/accounts')).json()) as { userId: string; token: string; refreshToken: string };
  const soon = new Date(Date.now() + 60_000).toISOString();
  await page.addInitScript(
    ([key, seeded]) => {
      if (!sessionStorage.getItem('e2e-seeded')) {
        sessionStorage.setItem('e2e-seeded', '1');
        localStorage.setItem(key, seeded);
      }
    },
    [sessionKey, JSON.stringify({ userId: account.userId, token: account.token, tokenExpiresAt: soon, refreshToken: account.refreshToken })],
  );
  const shop = new Shop(page);
  await page.goto('/');

  await shop.expectLive();
  await expect(shop.userId).toHaveText(account.userId);
  await expectNoAxeViolations(page, 'a session renewed on load');
  const renewed = await shop.session();
  expect(renewed.token).not.toBe(account.token);
  const orders = await page.request.get('/orders-api/orders', { headers: { Authorization: `Bearer ${renewed.token}` } });
  expect(orders.status()).toBe(200);
});

test('two tabs of the same user both update', async ({ context }) => {
  const first = await new Shop(await context.newPage()).open();
  const second = await new Shop(await context.newPage()).open();
  await expect(second.userId).toHaveText((await first.session()).userId);

  await first.fund(1000);
  const row = await first.createOrder();

  await expect(row.getByText('Paid', { exact: true })).toBeVisible();
  const mirrored = second.row((await row.getAttribute('data-order-id')) ?? '');
  await expect(mirrored.getByText('Paid', { exact: true })).toBeVisible();
  await expect(second.balance).toHaveText(money(1000 - (await amountOf(row))));
  await expectNoAxeViolations(second.page, 'a second tab updated live');
});

test('pages through older orders, newest first', async ({ page }) => {
  const shop = await new Shop(page).open();
  const { token } = await shop.session();
  for (let i = 0; i < 23; i++) {
    const response = await page.request.post('/orders-api/orders', { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status()).toBe(201);
  }
  await page.reload();

  await expect(shop.rows).toHaveCount(20);
  await expectNoAxeViolations(page, 'a first page of orders, with older ones to load');
  await page.getByRole('button', { name: 'Load older orders' }).click();

  await expect(shop.rows).toHaveCount(23);
  await expect(page.getByRole('button', { name: 'Load older orders' })).toHaveCount(0);
  const ids = await shop.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-order-id') ?? ''));
  expect(ids).toEqual([...ids].sort().reverse());
  await expectNoAxeViolations(page, 'every older order loaded');
});

test('an API error is shown as a clear message', async ({ page }) => {
  const shop = await new Shop(page).open();
  await page.route('**/topup', (route) =>
    route.fulfill({
      status: 422,
      contentType: 'application/problem+json',
      body: JSON.stringify({ type: 'urn:shop:problem:limit-exceeded', title: 'Limit exceeded', status: 422, detail: 'The balance may not exceed 9999999999.99.' }),
    }),
  );

  await shop.topUpButton.click();

  await expect(page.getByRole('alert').filter({ hasText: 'The balance may not exceed 9999999999.99.' })).toBeVisible();
  await expect(shop.balance).toHaveText('$0.00');
  await shop.screenshot('06-error-message');
  await expectNoAxeViolations(page, 'an API error shown as a message');
});

test('a session the server no longer accepts offers a new one', async ({ page }) => {
  await page.addInitScript((key) => {
    if (!sessionStorage.getItem('e2e-seeded')) {
      sessionStorage.setItem('e2e-seeded', '1');
      const tokenExpiresAt = new Date(Date.now() + 3_600_000).toISOString();
      localStorage.setItem(key, JSON.stringify({ userId: '01a20000-0000-7000-8000-000000000000', token: 'not-a-token', tokenExpiresAt, refreshToken: 'not-a-token' }));
    }
  }, sessionKey);
  const shop = new Shop(page);
  await page.goto('/');

  const banner = page.getByRole('alert').filter({ hasText: 'Your session is no longer valid.' });
  await expect(banner).toBeVisible();
  await expect(shop.connection).toHaveAttribute('data-state', 'stopped');
  await shop.screenshot('07-session-not-accepted');
  await expectNoAxeViolations(page, 'a session the server refuses; live updates offline');
  await banner.getByRole('button', { name: 'Start a new session' }).click();

  await shop.expectLive();
  await expect(banner).toHaveCount(0);
  await expect(shop.noOrders).toBeVisible();
  expect((await shop.session()).token).not.toBe('not-a-token');
});

test('works on a phone-sized screen', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const shop = await new Shop(await context.newPage()).open();
  await shop.topUp(5, money(500));
  const paid = await shop.createOrder();
  await shop.createOrder();
  await shop.createOrder();

  await expect(paid.locator('td[data-label="Status"]')).not.toHaveText('Awaiting payment');
  await expect(shop.rows.first().locator('td[data-label="Status"]')).not.toHaveText('Awaiting payment');

  const overflow = await shop.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await shop.screenshot('04-phone');
  await expectNoAxeViolations(shop.page, 'a phone-sized screen with orders');
  await context.close();
});

test('says so while the account is set up, when it cannot be, and while live updates reconnect', async ({ page }) => {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/payments-api/accounts', async (route) => {
    await held;
    await route.fulfill({
      status: 500,
      contentType: 'application/problem+json',
      body: JSON.stringify({ title: 'Internal Server Error', status: 500, detail: 'The account could not be created.' }),
    });
  });
  await page.route('**/orders-api/orders/stream', (route) =>
    route.fulfill({ status: 503, contentType: 'application/problem+json', body: JSON.stringify({ title: 'Service Unavailable', status: 503 }) }),
  );
  const shop = new Shop(page);
  await page.goto('/');

  await expect(page.getByRole('status').filter({ hasText: 'Setting up your account' })).toBeVisible();
  await expectNoAxeViolations(page, 'setting up the account');
  release();
  const failed = page.getByRole('alert').filter({ has: page.getByRole('button', { name: 'Try again' }) });
  await expect(failed).toBeVisible();
  await expectNoAxeViolations(page, 'the account could not be created');

  await page.unroute('**/payments-api/accounts');
  await failed.getByRole('button', { name: 'Try again' }).click();

  await expect(shop.connection).toHaveAttribute('data-state', 'reconnecting');
  await expect(shop.noOrders).toBeVisible();
  await shop.screenshot('10-reconnecting');
  await expectNoAxeViolations(page, 'live updates reconnecting');
  await page.unroute('**/orders-api/orders/stream');
  await shop.expectLive();
});
