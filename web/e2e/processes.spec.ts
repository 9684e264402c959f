// The BKPSDM processes of issue 20 as people meet them: a keberatan filed by the employee and
// decided by the atasan of the pejabat penilai; a Plh appointed by the OPD admin who then
// verifies in the rater's place; the official PDFs; the period reports with their downloads;
// a mutasi detected by the SIMPEG import, processed by BKPSDM, and a year split by one.
import { DESKTOP, goAdmin, loginAdmin } from './pages/admin';
import { VerifyPage, loginAs } from './pages/app';
import { logActivity, login, op } from './support/api';
import type { Locator, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { expect, screen, test } from './support/fixtures';

type Person = { id: string; name: string };

async function viewerOf(username: string): Promise<Person> {
  const data = await op<{ viewer: { employee: Person } }>('Viewer', {}, await login(username));
  return data.viewer.employee;
}

async function logout(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Keluar' }).click();
  await expect(page.getByLabel('NIP atau nama pengguna')).toBeVisible();
}

/** Pick the option of ``select`` whose text contains ``text`` once the search has found it. */
async function pick(select: Locator, text: string): Promise<void> {
  const option = select.locator('option').filter({ hasText: text }).first();
  await expect(option).toBeAttached();
  await select.selectOption((await option.getAttribute('value')) ?? '');
}

/** The NIP (the demo login) of an employee, read by BKPSDM. */
async function nipOf(id: string): Promise<string> {
  const data = await op<{ node: { profile: { nip: string } | null } | null }>('EmployeeById', { id }, await login('admin.bkpsdm'));
  const nip = data.node?.profile?.nip;
  if (!nip) throw new Error(`no NIP for ${id}`);
  return nip;
}

test('a keberatan: the employee files it before the deadline, the superior decides, the employee sees the decision', async ({ page }) => {
  const pegawai = await viewerOf('pegawai');
  await loginAs(page, 'pegawai');
  await page.getByRole('link', { name: 'Penilaian, keberatan, dan dokumen resmi' }).click();
  await expect(page.getByRole('heading', { name: 'Kinerja saya', level: 1 })).toBeVisible();
  const objection = page.getByRole('region', { name: 'Keberatan' });
  await expect(objection.getByText(/^Batas waktu pengajuan keberatan: /)).toBeVisible();
  await screen(page, 'pegawai-keberatan-form');
  await objection.getByLabel('Alasan keberatan').fill('Capaian vaksinasi saya melampaui target; bukti dukung Desember belum diperhitungkan.');
  await objection.getByRole('button', { name: 'Ajukan keberatan' }).click();
  await expect(page.getByText('Keberatan diajukan. Atasan pejabat penilai akan memutuskan.')).toBeVisible();
  await expect(objection.getByText('Status keberatan: Diajukan')).toBeVisible();

  // the decider is the atasan of the pejabat penilai: they log in with their NIP
  const mine = await op<{ objections: { edges: { node: { decider: Person | null } }[] } }>('Objections', { first: 5 }, await login('pegawai'));
  const decider = mine.objections.edges[0]?.node.decider;
  expect(decider).toBeTruthy();
  await logout(page);
  await loginAs(page, await nipOf(decider!.id));
  await page.goto('/tim/keberatan');
  await expect(page.getByRole('heading', { name: 'Keberatan yang harus diputuskan' })).toBeVisible();
  const form = page.getByRole('form', { name: `Keberatan ${pegawai.name}` });
  await form.getByRole('radio', { name: 'Ubah rating' }).check();
  await form.getByRole('group', { name: 'Rating hasil kerja baru' }).getByRole('radio', { name: 'Sesuai ekspektasi' }).check();
  await form.getByRole('group', { name: 'Rating perilaku kerja baru' }).getByRole('radio', { name: 'Sesuai ekspektasi' }).check();
  await form.getByLabel('Alasan keputusan').fill('Catatan perilaku diperiksa bersama pejabat penilai; tidak ada kejadian yang mendukung rating di bawah ekspektasi.');
  await screen(page, 'atasan-keberatan-decide');
  await form.getByRole('button', { name: 'Simpan keputusan' }).click();
  await expect(page.getByText('Keputusan tersimpan dan dikirim ke pegawai.')).toBeVisible();

  // back as the employee: the final decision and the new predikat
  await logout(page);
  await loginAs(page, 'pegawai');
  await page.goto('/kinerja-saya');
  await expect(page.getByText('Predikat setelah keputusan: Baik')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Keberatan' }).getByText(/Status keberatan: /)).not.toHaveText('Status keberatan: Diajukan');
  await screen(page, 'pegawai-keberatan-decided');
});

test('a year split by a mutasi: the employee reads each part and the combined annual predikat', async ({ page }) => {
  // the demo employee whose last year was split by a mutasi (two FINAL annual evaluations)
  const admin = await login('admin.bkpsdm');
  const year = new Date().getFullYear() - 1;
  const periods = await op<{ periods: { id: string; kind: string }[] }>('Periods', { year }, admin);
  const annual = periods.periods.find((p) => p.kind === 'ANNUAL')!;
  type Evaluation = { employee: Person };
  type Page = { evaluations: { edges: { node: Evaluation }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
  const counts = new Map<string, number>();
  // the whole city's year is evaluated: page through it all
  for (let after: string | null = null, more = true; more; ) {
    const batch: Page = await op<Page>('MyEvaluations', { first: 100, after, filter: { periodId: annual.id } }, admin);
    for (const { node } of batch.evaluations.edges) counts.set(node.employee.id, (counts.get(node.employee.id) ?? 0) + 1);
    ({ hasNextPage: more, endCursor: after } = batch.evaluations.pageInfo);
  }
  const split = [...counts].find(([, n]) => n === 2)![0];

  await loginAs(page, await nipOf(split));
  await page.goto('/kinerja-saya');
  const panel = page.getByRole('region', { name: 'Hasil tahunan setelah mutasi' }); // once per year
  const parts = panel.getByRole('table', { name: 'Hasil tahunan setelah mutasi' }).getByRole('row');
  await expect(parts).toHaveCount(3); // header and two parts
  await expect(parts.nth(1).getByText('4 bulan')).toBeVisible();
  await expect(parts.nth(1).getByText('Sangat Baik')).toBeVisible();
  await expect(parts.nth(2).getByText('8 bulan')).toBeVisible();
  await expect(panel.getByText('Predikat tahunan (gabungan pro rata):')).toBeVisible();
  await expect(panel.locator('.badge').getByText('Baik', { exact: true })).toBeVisible();
  await panel.scrollIntoViewIfNeeded();
  await screen(page, 'pegawai-hasil-tahunan-mutasi');
});

test('official PDFs: the employee downloads the SKP and the Dokumen Evaluasi Kinerja', async ({ page }) => {
  await loginAs(page, 'pegawai');
  await page.goto('/kinerja-saya');
  for (const [button, path] of [
    [page.getByRole('button', { name: 'Unduh SKP (PDF)' }), '/documents/skp/'],
    [page.getByRole('button', { name: /^Unduh Dokumen Evaluasi Kinerja .* \(PDF\)$/ }).first(), '/documents/evaluation/'],
  ] as const) {
    const response = page.waitForResponse((r) => r.url().includes(path));
    const download = page.waitForEvent('download');
    await button.click();
    const answered = await response;
    expect(answered.status()).toBe(200);
    expect(answered.headers()['content-type']).toContain('application/pdf');
    const saved = await download;
    expect(saved.suggestedFilename()).toMatch(/\.pdf$/);
    expect(readFileSync(await saved.path()).subarray(0, 5).toString()).toBe('%PDF-');
  }
  await expect(page.getByText('Dokumen gagal diunduh. Silakan coba lagi.')).toHaveCount(0);
});

test.describe('administration', () => {
  test.use({ viewport: DESKTOP });

  test('a Plh appointed by the OPD admin verifies in the rater’s place', async ({ page }) => {
    const atasan = await viewerOf('atasan');
    const pegawai = await viewerOf('pegawai');
    const team = await op<{ viewer: { team: { edges: { node: Person & { profile: { nip: string } | null } }[] } } }>('MyTeam', { first: 50 }, await login('atasan'));
    const plh = team.viewer.team.edges.map((e) => e.node).filter((m) => m.id !== pegawai.id && m.profile).at(-1)!;

    await loginAdmin(page, 'admin.opd');
    await goAdmin(page, 'Plt/Plh', 'Plt/Plh pejabat penilai');
    const form = page.getByRole('region', { name: 'Tunjuk Plt/Plh' });
    await form.getByLabel('Cari pejabat penilai yang digantikan (nama)').fill(atasan.name);
    await pick(form.getByLabel('Pilih pejabat penilai yang digantikan'), atasan.name);
    await form.getByLabel('Cari pejabat Plt/Plh (nama)').fill(plh.name);
    await pick(form.getByLabel('Pilih pejabat Plt/Plh'), plh.name);
    await form.getByLabel('Jenis').selectOption('PLH');
    await form.getByLabel('Alasan (opsional)').fill('Cuti tahunan pejabat penilai');
    await form.getByRole('button', { name: 'Tunjuk' }).click();
    await expect(page.getByText(`${plh.name} ditunjuk menggantikan ${atasan.name}.`)).toBeVisible();
    const row = page.getByRole('table', { name: 'Daftar penunjukan' }).getByRole('row').filter({ hasText: plh.name });
    await expect(row.getByText('Berlaku')).toBeVisible();
    await screen(page, 'admin-plt');

    // the Plh verifies the pegawai's activity: verifier the Plh, for the atasan
    const description = `Imunisasi kejar posyandu ${Date.now().toString(36)}`;
    const activityId = await logActivity(await login('pegawai'), description);
    await logout(page);
    await page.setViewportSize({ width: 360, height: 640 });
    await loginAs(page, plh.profile!.nip);
    const queue = new VerifyPage(page);
    await queue.open();
    await queue.verifyOne(description);
    const record = await op<{ node: { verifier: Person | null; verifiedFor: Person | null } }>('ActingRecord', { id: activityId }, await login('pegawai'));
    expect(record.node.verifier?.id).toBe(plh.id);
    expect(record.node.verifiedFor?.id).toBe(atasan.id);

    // and the admin ends the appointment
    await logout(page);
    await page.setViewportSize(DESKTOP);
    await loginAdmin(page, 'admin.opd');
    await goAdmin(page, 'Plt/Plh', 'Plt/Plh pejabat penilai');
    await page.getByRole('button', { name: `Akhiri penunjukan ${plh.name} untuk ${atasan.name}` }).click();
    await expect(page.getByText('Penunjukan diakhiri.')).toBeVisible();
    await expect(page.getByRole('table', { name: 'Daftar penunjukan' }).getByRole('row').filter({ hasText: plh.name }).getByText('Berakhir')).toBeVisible();
  });

  test('BKPSDM reads the period reports and downloads them', async ({ page }) => {
    await loginAdmin(page, 'admin.bkpsdm');
    await goAdmin(page, 'Laporan periode', 'Laporan periode BKPSDM');
    const lastYear = String(new Date().getFullYear() - 1);
    const period = page.getByLabel('Periode penilaian');
    const option = period.locator('option').filter({ hasText: lastYear }).first();
    await period.selectOption((await option.getAttribute('value')) ?? '');
    const recap = page.getByRole('table', { name: 'Rekap predikat' });
    await expect(recap.getByRole('row').nth(1)).toBeVisible();
    await expect(page.getByRole('table', { name: 'Monitoring kelengkapan' })).toBeVisible();
    await screen(page, 'admin-laporan');
    for (const [kind, type] of [
      ['CSV', 'text/csv'],
      ['XLSX', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      ['PDF', 'application/pdf'],
    ] as const) {
      const response = page.waitForResponse((r) => r.url().includes('/reports/predikat.'));
      await page.getByRole('button', { name: `Unduh Rekap predikat ${kind}` }).click();
      const answered = await response;
      expect(answered.status()).toBe(200);
      expect(answered.headers()['content-type']).toContain(type);
    }
  });

  test('BKPSDM processes the mutasi detected by the SIMPEG import', async ({ page }) => {
    // the demo's one detected mutasi (an employee outside the personas)
    type Move = { id: string; status: string; employee: Person; newSupervisor: Person | null };
    const listed = await op<{ detectedMutasi: { edges: { node: Move }[] } }>('DetectedMutasi', { first: 50 }, await login('admin.bkpsdm'));
    const move = listed.detectedMutasi.edges.map((e) => e.node).find((m) => m.status === 'DETECTED')!;
    expect(move).toBeTruthy();

    await loginAdmin(page, 'admin.bkpsdm');
    await goAdmin(page, 'Mutasi', 'Mutasi pegawai');
    const table = page.getByRole('table', { name: 'Mutasi terdeteksi' });
    const row = table.getByRole('row').filter({ hasText: move.employee.name });
    await expect(row.getByText('Terdeteksi')).toBeVisible();
    await screen(page, 'admin-mutasi');

    // processing it closes the old SKP and opens one under the new rater
    await row.getByRole('button', { name: `Proses mutasi ${move.employee.name}` }).click();
    await expect(page.getByText(`SKP baru di bawah ${move.newSupervisor!.name} dibuka.`)).toBeVisible();
    await expect(row.getByText('Diproses')).toBeVisible();
    await expect(row.getByRole('button', { name: `Proses mutasi ${move.employee.name}` })).toHaveCount(0);
  });
});
