import { expect, test } from '@playwright/test';
import { dashboardLogin } from './dashboard';
import { Shop } from './shop';

test("a checkout's trace in the local dashboard runs from the gateway through orders, Kafka and payments", async ({ page }) => {
  const login = dashboardLogin();
  test.skip(!login, 'needs the topology this suite starts (its dashboard)');
  const shop = await new Shop(page).open();
  await shop.fund(1000);
  await expect((await shop.createOrder()).getByText('Paid', { exact: true })).toBeVisible({ timeout: 45_000 });

  await page.goto(login!);
  await page.goto(new URL('/traces', login).toString());
  const checkout = page.getByRole('row').filter({ hasText: 'gateway: POST /orders-api' }).filter({ hasText: /payments-\d \(/ }).last();
  await expect(checkout).toContainText(/orders-\d \(/);

  await checkout.getByRole('gridcell').nth(1).click();
  for (const span of ['orders-events enqueue', 'orders-events process', 'payments-events process', 'shop:orders:changes']) {
    await expect(page.getByText(span).first()).toBeVisible();
  }
  await shop.screenshot('dashboard-trace');
});
