// Page objects: what a person sees and does on each screen, by role and label, so the tests
// read as journeys and survive markup changes.
import { expect, type Locator, type Page } from '@playwright/test';
import { PASSWORD } from '../support/api';

export class LoginPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto('/');
    await expect(this.page.getByRole('heading', { name: 'Kinerja ASN Tangerang Selatan' })).toBeVisible();
  }

  async login(username: string, password = PASSWORD): Promise<void> {
    await this.page.getByLabel('NIP atau nama pengguna').fill(username);
    await this.page.getByLabel('Kata sandi').fill(password);
    await this.page.getByRole('button', { name: 'Masuk' }).click();
    await expect(this.page.getByRole('navigation', { name: 'Navigasi utama' })).toBeVisible();
  }
}

export async function loginAs(page: Page, username: string): Promise<void> {
  const login = new LoginPage(page);
  await login.open();
  await login.login(username);
}

export class Nav {
  constructor(readonly page: Page) {}

  async go(name: 'Beranda' | 'Aktivitas' | 'Umpan balik' | 'Pelatihan' | 'Tim'): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Navigasi utama' }).getByRole('link', { name, exact: true }).click();
  }

  notificationBell(): Locator {
    return this.page.getByRole('link', { name: /^Notifikasi/ });
  }
}

export class LogActivityPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto('/aktivitas/baru');
    await expect(this.page.getByRole('heading', { name: 'Catat aktivitas' })).toBeVisible();
  }

  async log(fields: { quantity: string; minutes: string; description: string }): Promise<void> {
    await this.page.getByLabel('Jumlah').fill(fields.quantity);
    await this.page.getByLabel('Durasi (menit)').fill(fields.minutes);
    await this.page.getByLabel('Uraian kegiatan').fill(fields.description);
    await this.page.getByRole('button', { name: 'Simpan aktivitas' }).click();
  }

  result(): Locator {
    return this.page.getByRole('status').filter({ hasText: /tersimpan|Belum terkirim/ });
  }
}

export class ActivitiesPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto('/aktivitas');
    await expect(this.page.getByRole('heading', { name: 'Aktivitas saya' })).toBeVisible();
  }

  sent(description: string): Locator {
    return this.page.getByTestId('activities').getByRole('listitem').filter({ hasText: description });
  }

  queued(): Locator {
    return this.page.getByTestId('queue').getByRole('listitem');
  }
}

export class VerifyPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto('/tim/verifikasi');
    await expect(this.page.getByRole('heading', { name: 'Verifikasi aktivitas' })).toBeVisible();
  }

  item(description: string): Locator {
    return this.page.getByTestId('verify-queue').getByRole('listitem').filter({ hasText: description });
  }

  async verifyOne(description: string): Promise<void> {
    await this.item(description).getByRole('button', { name: /^Verifikasi / }).click();
    await expect(this.page.getByRole('status').filter({ hasText: 'diverifikasi' })).toBeVisible();
  }

  async rejectSelected(descriptions: string[], reason: string): Promise<void> {
    for (const d of descriptions) await this.item(d).getByRole('checkbox').check();
    await this.page.getByRole('button', { name: `Tolak terpilih (${descriptions.length})` }).click();
    await this.page.getByLabel('Alasan penolakan').fill(reason);
    await this.page.getByRole('button', { name: 'Tolak dengan alasan ini' }).click();
    await expect(this.page.getByRole('status').filter({ hasText: `${descriptions.length} aktivitas ditolak` })).toBeVisible();
  }

  async verifySelected(descriptions: string[]): Promise<void> {
    for (const d of descriptions) await this.item(d).getByRole('checkbox').check();
    await this.page.getByRole('button', { name: `Verifikasi terpilih (${descriptions.length})` }).click();
    await expect(this.page.getByRole('status').filter({ hasText: `${descriptions.length} aktivitas diverifikasi` })).toBeVisible();
  }
}

export class ThreadPage {
  constructor(readonly page: Page) {}

  async open(threadId: string): Promise<void> {
    await this.page.goto(`/umpan-balik/${threadId}`);
    await expect(this.page.getByRole('list', { name: 'Pesan' })).toBeVisible();
  }

  messages(): Locator {
    return this.page.getByRole('list', { name: 'Pesan' }).getByRole('listitem');
  }

  async reply(text: string): Promise<void> {
    await this.page.getByLabel('Balasan').fill(text);
    await this.page.getByRole('button', { name: 'Kirim', exact: true }).click();
    await expect(this.page.getByLabel('Balasan')).toHaveValue('');
  }
}

export class AlertsPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto('/tim/peringatan');
    await expect(this.page.getByRole('heading', { name: 'Peringatan mentoring', level: 1 })).toBeVisible();
  }

  open_(): Locator {
    return this.page.getByTestId('open-alerts').locator(':scope > li');
  }

  alertFor(name: string): Locator {
    return this.open_().filter({ has: this.page.getByRole('heading', { name, exact: true }) });
  }
}
