// The shared test fixtures: the portal's base URL, axe on every screen (no serious or critical
// violation), and the phone-size screenshots kept in docs/screenshots/ for the README.
import AxeBuilder from '@axe-core/playwright';
import { expect, test as base, type Page } from '@playwright/test';
import { join } from 'node:path';
import { REPO, server } from './server';

export const SCREENSHOTS = join(REPO, 'docs', 'screenshots');

export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map((v) => `${v.id} (${v.impact}): ${v.help} -> ${v.nodes.map((n) => `${n.target.join(' ')} ${n.html.slice(0, 120)} ${n.failureSummary ?? ''}`).join(', ')}`),
    `axe on ${screen}`,
  ).toEqual([]);
}

/** Check the screen with axe, then keep its phone-size screenshot. */
export async function screen(page: Page, name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  await expectAccessible(page, name);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

export const test = base.extend({
  baseURL: async ({}, use) => {
    await use(server().baseURL);
  },
});

export { expect };
