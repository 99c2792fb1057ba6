import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

/** WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices (landmarks, heading order, …). */
const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa', 'best-practice'];

type Results = Awaited<ReturnType<AxeBuilder['analyze']>>;

/**
 * Checks the page as it is now with axe-core, in the light and the dark colour scheme (styles.css has both); a failure
 * lists each rule broken and where, one line per element.
 */
export async function expectNoAxeViolations(page: Page, state: string) {
  const found: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    // Reduced motion: no colour transition is caught half-way when the scheme changes (styles.css drops them).
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    const results = await test.step(`axe (${colorScheme}): ${state}`, () => new AxeBuilder({ page }).withTags(tags).analyze());
    if (results.violations.length === 0) continue;
    found.push(`${colorScheme} colour scheme:`, ...describe(results.violations));
    await test.info().attach(`axe ${colorScheme}: ${state}`, { body: JSON.stringify(results.violations, null, 2), contentType: 'application/json' });
  }
  await page.emulateMedia({ colorScheme: null, reducedMotion: null });
  expect(found, `accessibility violations in "${state}" (${page.url()})`).toEqual([]);
}

function describe(violations: Results['violations']): string[] {
  return violations.flatMap((v) => [
    `${v.id} (${v.impact ?? 'no impact given'}): ${v.help} — ${v.helpUrl}`,
    ...v.nodes.map((node) => `    at ${node.target.join(' ')}: ${(node.failureSummary ?? '').replace(/\s*\n\s*/g, '; ')}`),
  ]);
}
