// The employee's journeys (demo login `pegawai`, a vaccinator at Puskesmas Pamulang).
import { ActivitiesPage, LogActivityPage, LoginPage, Nav, loginAs } from './pages/app';
import { activitiesDescribed, activityStatuses, login, op, supervisorWithAlert, todayJakarta } from './support/api';
import { expect, screen, test } from './support/fixtures';

test('logs in and sees SKP progress against the pace, today, feedback and training', async ({ page }) => {
  const loginPage = new LoginPage(page);
  await loginPage.open();
  await screen(page, 'login');
  await loginPage.login('pegawai');
  await expect(page.getByRole('heading', { name: /^Selamat (pagi|siang|sore|malam), Fitri/ })).toBeVisible();
  const bar = page.getByRole('progressbar', { name: 'Jumlah dosis vaksin yang diberikan' });
  await expect(bar).toHaveAttribute('aria-valuetext', /%, seharusnya \d+% saat ini/);
  await expect(page.getByRole('heading', { name: 'Aktivitas hari ini' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Rekomendasi pelatihan' })).toBeVisible();
  await screen(page, 'pegawai-home');
});

test('logs an activity in a few taps, with the last values remembered', async ({ page }) => {
  await loginAs(page, 'pegawai');
  const token = await login('pegawai');
  const form = new LogActivityPage(page);
  await form.open();
  await expect(page.getByLabel('Indikator SKP')).toHaveValue(/.+/); // the approved SKP's indicator
  await expect(page.getByLabel('Tanggal')).toHaveValue(todayJakarta());
  await expect(page.getByLabel('Satuan')).toHaveValue('dosis vaksin');
  await form.log({ quantity: '18', minutes: '150', description: 'Imunisasi dasar di Posyandu Melati' });
  await expect(page.getByRole('status').filter({ hasText: 'Aktivitas tersimpan' })).toBeVisible();
  await screen(page, 'pegawai-log-activity');
  expect(await activitiesDescribed(token, 'Imunisasi dasar di Posyandu Melati')).toBe(1);

  await form.open(); // sensible defaults: what was entered last time
  await expect(page.getByLabel('Durasi (menit)')).toHaveValue('150');
  await expect(page.getByLabel('Uraian kegiatan')).toHaveValue('Imunisasi dasar di Posyandu Melati');
});

test('edits an activity before it is verified, and withdraws one logged by mistake', async ({ page }) => {
  await loginAs(page, 'pegawai');
  const form = new LogActivityPage(page);
  await form.open();
  await form.log({ quantity: '7', minutes: '60', description: 'Sweeping imunisasi RW 05' });
  await expect(page.getByRole('status').filter({ hasText: 'Aktivitas tersimpan' })).toBeVisible();
  const list = new ActivitiesPage(page);
  await list.open();
  const item = list.sent('Sweeping imunisasi RW 05');
  await expect(item).toContainText('7 dosis vaksin');
  await expect(item).toContainText('Menunggu verifikasi');
  await screen(page, 'pegawai-activities');
  await item.getByRole('link', { name: /^Ubah aktivitas Sweeping imunisasi RW 05/ }).click();
  await expect(page.getByRole('heading', { name: 'Ubah aktivitas' })).toBeVisible();
  await expect(page.getByLabel('Durasi (menit)')).toHaveValue('60');
  await page.getByLabel('Jumlah').fill('9');
  await screen(page, 'pegawai-edit-activity');
  await page.getByRole('button', { name: 'Simpan' }).click();
  await expect(page.getByRole('heading', { name: 'Aktivitas saya' })).toBeVisible();
  await expect(list.sent('Sweeping imunisasi RW 05')).toContainText('9 dosis vaksin');

  // logged twice by mistake: the second one is withdrawn (two taps), no longer editable
  const stamp = Date.now().toString(36);
  const mistake = `Catatan ganda sweeping ${stamp}`;
  await form.open();
  await form.log({ quantity: '9', minutes: '60', description: mistake });
  await expect(page.getByRole('status').filter({ hasText: 'Aktivitas tersimpan' })).toBeVisible();
  await list.open();
  await list.sent(mistake).getByRole('link', { name: /^Ubah aktivitas/ }).click();
  const withdraw = page.getByRole('region', { name: 'Tarik aktivitas' });
  await withdraw.getByRole('button', { name: 'Tarik aktivitas' }).click();
  await withdraw.getByRole('button', { name: 'Ya, tarik aktivitas ini' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Aktivitas ${mistake} ditarik.` })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Simpan' })).toBeDisabled();
  await expect(page.getByRole('region', { name: 'Tarik aktivitas' })).toHaveCount(0);
  await list.open();
  await expect(list.sent(mistake)).toContainText('Ditarik');
  await expect(list.sent(mistake).getByRole('link')).toHaveCount(0);
  expect(await activityStatuses(await login('pegawai'), mistake)).toEqual(['WITHDRAWN']);
});

test('sees training recommendations with reasons, enrols, and the 20 JP ledger bar', async ({ page }) => {
  await loginAs(page, 'pegawai');
  await new Nav(page).go('Pelatihan');
  const ledger = page.getByRole('progressbar', { name: 'JP pengembangan kompetensi yang selesai' });
  await expect(ledger).toHaveAttribute('aria-valuetext', /^\d+ dari 20 JP/);
  const first = page.getByRole('button', { name: /^Ikuti pelatihan / }).first();
  const title = ((await first.getAttribute('aria-label')) ?? '').replace('Ikuti pelatihan ', '');
  await expect(page.getByText('Mengapa direkomendasikan:').first()).toBeVisible();
  await first.click();
  await expect(page.getByRole('status').filter({ hasText: `${title} ditambahkan` })).toBeVisible();
  const mine = page.getByRole('region', { name: 'Pelatihan saya' });
  await expect(mine.getByText(title)).toBeVisible();
  await screen(page, 'pegawai-training');
});

test('answers the pulse survey', async ({ page }) => {
  const manager = await login('sosialisasi');
  const today = todayJakarta();
  const closes = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  await op('CreateSurvey', { input: { title: 'Survei denyut Desember', opensOn: today, closesOn: closes } }, manager);
  await loginAs(page, 'pegawai');
  await page.getByRole('link', { name: /survei singkat menunggu/ }).click();
  await expect(page.getByRole('heading', { name: 'Survei singkat' })).toBeVisible();
  const survey = page.getByRole('region', { name: 'Survei denyut Desember' });
  for (const question of ['Saya nyaman menggunakan aplikasi e-Kinerja', 'Penilaian kinerja membuat saya tertekan', 'Saya memahami aturan penilaian kinerja']) {
    await survey.getByRole('group', { name: question }).getByRole('radio', { name: '4' }).check();
  }
  await screen(page, 'pegawai-survey');
  await survey.getByRole('button', { name: 'Kirim jawaban' }).click();
  await expect(survey.getByText('Terima kasih, jawaban Anda sudah tercatat.')).toBeVisible();
});

test('sees a support offer with its reasons and what the supervisor proposes, never a score', async ({ page }) => {
  const { employeeNip } = await supervisorWithAlert();
  await loginAs(page, employeeNip);
  await page.getByRole('link', { name: 'Lihat tawaran' }).click();
  await expect(page.getByRole('heading', { name: 'Tawaran dukungan' })).toBeVisible();
  // (one offer, or two when the live journey's scoring run raised a new one after a dismissal)
  await expect(page.getByText('Mengapa ditawarkan:').first()).toBeVisible();
  await expect(page.getByText('Usulan atasan:').first()).toBeVisible();
  await expect(page.locator('main')).not.toContainText(/skor|score|risiko/i);
  await screen(page, 'pegawai-support-offer');
});

test('reads notifications', async ({ page }) => {
  await loginAs(page, 'pegawai');
  await new Nav(page).notificationBell().click();
  await expect(page.getByRole('heading', { name: 'Notifikasi' })).toBeVisible();
  await screen(page, 'pegawai-notifications');
});
