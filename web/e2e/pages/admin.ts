// Page objects of the administration part (desktop first): login lands on the admin frame.
import { expect, type Page } from '@playwright/test';
import { PASSWORD } from '../support/api';

export const DESKTOP = { width: 1280, height: 860 };

export async function loginAdmin(page: Page, username: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('NIP atau nama pengguna').fill(username);
  await page.getByLabel('Kata sandi').fill(PASSWORD);
  await page.getByRole('button', { name: 'Masuk' }).click();
  // an administrator who is also an employee lands in the employee app, with a way across
  const admin = page.getByRole('navigation', { name: 'Navigasi administrasi' });
  const employee = page.getByRole('navigation', { name: 'Navigasi utama' });
  await expect(admin.or(employee)).toBeVisible();
  if (await employee.isVisible()) await page.getByRole('link', { name: 'Administrasi', exact: true }).click();
  await expect(admin).toBeVisible();
}

/** Log out and wait until the login form is back (the session ended on the server too). */
export async function logoutAdmin(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Keluar' }).click();
  await expect(page.getByLabel('NIP atau nama pengguna')).toBeVisible();
}

export async function goAdmin(page: Page, link: string, heading: string | RegExp): Promise<void> {
  await page.getByRole('navigation', { name: 'Navigasi administrasi' }).getByRole('link', { name: link, exact: true }).click();
  await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
}
