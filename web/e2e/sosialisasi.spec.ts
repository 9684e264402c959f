// The socialization manager's journey (demo login `sosialisasi`) at desktop size: a program with
// a session, invitations for an OPD, check-in by the QR code on a participant's phone and by NIP,
// the attendance list; a pulse survey answered by five people, closed, and its results.
import { readFileSync } from 'node:fs';
import { DESKTOP, goAdmin, loginAdmin } from './pages/admin';
import { loginAs } from './pages/app';
import { op, login, todayJakarta } from './support/api';
import { expect, screen, test } from './support/fixtures';

test.use({ viewport: DESKTOP });

function dayOffset(days: number): string {
  const d = new Date(`${todayJakarta()}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

async function nipOf(username: string): Promise<string> {
  const viewer = await op<{ viewer: { employee: { profile: { nip: string } } } }>('Viewer', {}, await login(username));
  return viewer.viewer.employee.profile.nip;
}

test('program, session, invitations, QR and NIP check-in, attendance list', async ({ page, browser }) => {
  const stamp = Date.now().toString(36);
  const program = `Sosialisasi e-Kinerja ${stamp}`;
  const session = `Kelas pencatatan harian ${stamp}`;
  await loginAdmin(page, 'sosialisasi');
  await expect(page.getByRole('heading', { name: 'Program sosialisasi', level: 1 })).toBeVisible();
  const create = page.getByRole('region', { name: 'Buat program' });
  await create.getByLabel('Nama program').fill(program);
  await create.getByLabel('Tujuan').fill('Semua pegawai Dinkes mencatat aktivitas harian.');
  await create.getByLabel('Selesai').fill(dayOffset(30));
  await create.getByLabel('OPD sasaran').selectOption({ label: 'Dinas Kesehatan' });
  await create.getByRole('button', { name: 'Buat program' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Program ${program} dibuat.` })).toBeVisible();
  const card = page.getByRole('region', { name: program });
  await card.getByRole('button', { name: `Jadwalkan sesi ${program}` }).click();
  const form = card.getByRole('form', { name: `Jadwalkan sesi ${program}` });
  await form.getByLabel('Judul sesi').fill(session);
  await form.getByLabel('Mulai (tanggal dan jam)').fill(`${todayJakarta()}T00:05`);
  await form.getByLabel('Selesai (tanggal dan jam)').fill(`${todayJakarta()}T23:55`);
  await form.getByLabel('Fasilitator').fill('Tim BKPSDM');
  await form.getByLabel('Kapasitas').fill('300');
  await form.getByLabel('Tempat').fill('Aula Dinkes');
  await form.getByRole('button', { name: 'Simpan sesi' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Sesi ${session} dijadwalkan.` })).toBeVisible();
  await screen(page, 'sosialisasi-programs');
  await card.getByRole('link', { name: session }).click();
  await expect(page.getByRole('heading', { name: session, level: 1 })).toBeVisible();

  // invite the whole OPD
  const invite = page.getByRole('region', { name: 'Undang peserta' });
  await invite.getByLabel('OPD', { exact: true }).selectOption({ label: 'Dinas Kesehatan' });
  await invite.getByRole('button', { name: 'Kirim undangan' }).click();
  await expect(invite.getByRole('status')).toContainText(/[1-9]\d* pegawai diundang/);

  // the participant opens "Kode hadir" on their phone
  const phone = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'id-ID', timezoneId: 'Asia/Jakarta', serviceWorkers: 'block' });
  const mobile = await phone.newPage();
  await loginAs(mobile, 'pegawai');
  await mobile.getByRole('link', { name: 'Kode hadir sosialisasi' }).click();
  const qr = mobile.getByTestId('attendance-qr');
  await expect(qr).toBeVisible();
  await screen(mobile, 'pegawai-attendance-code');
  const payload = (await qr.getAttribute('data-payload')) ?? '';
  expect(payload).toMatch(/^kinerja-hadir:\d{18}$/);
  await phone.close();

  // the door: a handheld scanner types the QR's content and Enter; then one person by NIP
  const checkIn = page.getByRole('region', { name: 'Check-in peserta' });
  const field = checkIn.getByLabel('Kode QR atau NIP');
  await field.fill(payload);
  await field.press('Enter');
  await expect(checkIn.getByRole('status')).toContainText('tercatat hadir');
  await field.fill(payload);
  await field.press('Enter');
  await expect(checkIn.getByRole('status')).toContainText('sudah tercatat hadir');
  const atasanNip = await nipOf('atasan');
  await field.fill(atasanNip);
  await checkIn.getByRole('button', { name: 'Catat hadir' }).click();
  await expect(checkIn.getByRole('status')).toHaveText(/^(?!.*sudah).* tercatat hadir\.$/);
  await field.fill('123');
  await field.press('Enter');
  await expect(checkIn.getByRole('status')).toContainText('tidak dikenal');

  const attendance = page.getByRole('table', { name: 'Daftar hadir' });
  await expect(page.getByRole('heading', { name: /Daftar hadir · 2 dari \d+ peserta hadir/ })).toBeVisible();
  await expect(attendance.getByRole('row').filter({ hasNot: page.getByText('Belum hadir') })).toHaveCount(3); // header + 2
  await screen(page, 'sosialisasi-session');
});

test('a pulse survey answered by five people, closed, and its results by group of at least five', async ({ page, browser }) => {
  const title = `Survei denyut ${Date.now().toString(36)}`;
  await loginAdmin(page, 'sosialisasi');
  await goAdmin(page, 'Survei denyut', 'Survei denyut');
  await page.getByLabel('Judul survei').fill(title);
  await page.getByLabel('Dibuka').fill(dayOffset(-1));
  await page.getByLabel('Ditutup').fill(dayOffset(7));
  await page.getByRole('button', { name: 'Simpan survei' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Survei ${title} disimpan.` })).toBeVisible();
  const item = page.getByRole('listitem').filter({ hasText: title });
  await expect(item.getByText('Terbuka')).toBeVisible();
  // results are withheld while it is open
  await item.getByRole('button', { name: `Hasil ${title}` }).click();
  await expect(page.getByText('Hasil terbit setelah survei ditutup.')).toBeVisible();

  // five people of the same OPD answer: one on the phone, four through the API
  const phone = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'id-ID', timezoneId: 'Asia/Jakarta', serviceWorkers: 'block' });
  const mobile = await phone.newPage();
  await loginAs(mobile, 'pegawai');
  await mobile.goto('/survei');
  const form = mobile.getByRole('region', { name: title });
  for (const question of ['Saya nyaman menggunakan aplikasi e-Kinerja', 'Penilaian kinerja membuat saya tertekan', 'Saya memahami aturan penilaian kinerja']) {
    await form.getByRole('group', { name: question }).getByRole('radio', { name: '4' }).check();
  }
  await form.getByRole('button', { name: 'Kirim jawaban' }).click();
  await expect(form.getByText('Terima kasih, jawaban Anda sudah tercatat.')).toBeVisible();
  await phone.close();
  const admin = await login('admin.opd');
  const viewer = await op<{ viewer: { employee: { unor: { id: string } } } }>('Viewer', {}, await login('pegawai'));
  const colleagues = await op<{ employees: { edges: { node: { profile: { nip: string } | null } }[] } }>(
    'EmployeeDirectory',
    { first: 30, filter: { unorId: viewer.viewer.employee.unor.id } },
    admin,
  );
  const pegawaiNip = await nipOf('pegawai');
  const nips = colleagues.employees.edges.map((e) => e.node.profile?.nip).filter((n): n is string => !!n && n !== pegawaiNip);
  const tokens: string[] = [];
  for (const nip of nips) {
    if (tokens.length === 4) break;
    const token = await login(nip).catch(() => null); // people imported by another journey have no login
    if (token) tokens.push(token);
  }
  expect(tokens).toHaveLength(4);
  const surveys = await op<{ surveys: { edges: { node: { id: string; title: string } }[] } }>('Surveys', { first: 50 }, admin);
  const surveyId = surveys.surveys.edges.find((e) => e.node.title === title)!.node.id;
  for (const [i, token] of tokens.entries()) {
    const answered = await op<{ answerSurvey: { accepted: boolean } }>('AnswerSurvey', { input: { surveyId, comfort: 3 + (i % 3), stress: 2, understanding: 4, comment: '' } }, token);
    expect(answered.answerSurvey.accepted).toBe(true);
  }

  await item.getByRole('button', { name: `Tutup ${title}` }).click();
  await expect(page.getByRole('status').filter({ hasText: `Survei ${title} ditutup; hasil diterbitkan.` })).toBeVisible();
  const results = page.getByRole('table', { name: `Hasil ${title}` });
  const dinkes = results.getByRole('row').filter({ hasText: 'Dinas Kesehatan' });
  await expect(dinkes.getByRole('cell').first()).toHaveText('5');
  await screen(page, 'sosialisasi-survey-results');
  await page.getByLabel('Kelompok').selectOption('UNIT');
  await expect(results.getByRole('row').nth(1)).toBeVisible();
  await page.getByLabel('Kelompok').selectOption('CITY');
  await expect(results.getByRole('row').filter({ hasText: 'Seluruh kota' }).getByRole('cell').first()).toHaveText('5');
});

test('adoption dashboard: charts with their tables, CSV/XLSX, and a printable page', async ({ page }) => {
  await loginAdmin(page, 'sosialisasi');
  await goAdmin(page, 'Dasbor adopsi', 'Dasbor adopsi e-Kinerja');
  await expect(page.getByTestId('trend-chart').getByRole('img')).toBeVisible();
  await expect(page.getByTestId('funnel-chart').getByRole('img')).toHaveAttribute('aria-label', /Corong minggu terakhir: Pegawai \d+/);
  await expect(page.getByRole('table', { name: 'Corong adopsi minggu terakhir' }).getByRole('row').nth(1)).toBeVisible();
  await expect(page.getByTestId('cohort-chart').getByRole('img')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Denyut sebelum/sesudah sesi pertama' })).toBeVisible();
  // every table's CSV and XLSX come from the server (the same rows as the screen)
  const tables: [string, RegExp, string][] = [
    ['Corong adopsi minggu terakhir', /^adopsi-kota/, 'opd,minggu_iso,senin,pegawai'],
    ['OPD tertinggal', /^opd-tertinggal-\d{4}-W\d{2}/, 'opd,minggu_iso,senin,pegawai,aktif_mingguan'],
    ['Kohort per tanggal sesi', /^kohort-program\d+/, 'tanggal_sesi,diundang,hadir'],
    ['Denyut sebelum/sesudah sesi pertama', /^survei-sebelum-sesudah-kota/, 'opd,sesi_pertama,sebelum_responden'],
  ];
  for (const [table, name, header] of tables) {
    const group = page.getByRole('group', { name: `Unduhan ${table.toLowerCase()}` });
    const csvButton = group.getByRole('button', { name: /Unduh CSV/ });
    if (await csvButton.isDisabled()) continue; // an empty table (e.g. no OPD lagging this week)
    const [csv] = await Promise.all([page.waitForEvent('download'), csvButton.click()]);
    expect(csv.suggestedFilename()).toMatch(new RegExp(`${name.source}\\.csv$`));
    expect(readFileSync((await csv.path())!, 'utf8').split('\r\n')[0]).toContain(header);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), group.getByRole('button', { name: /Unduh XLSX/ }).click()]);
    expect(xlsx.suggestedFilename()).toMatch(new RegExp(`${name.source}\\.xlsx$`));
    expect(readFileSync((await xlsx.path())!).subarray(0, 2).toString()).toBe('PK'); // a zip: the workbook
  }
  await screen(page, 'sosialisasi-adoption-dashboard');
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Navigasi administrasi' })).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Dasbor adopsi e-Kinerja' })).toBeVisible();
});
