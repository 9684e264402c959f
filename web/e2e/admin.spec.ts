// The administrators' journeys (demo logins `admin.bkpsdm` and `admin.opd`, Dinas Kesehatan),
// at desktop size: periods, the SIMPEG import (a bad row, then a good file), the org tree.
import { DESKTOP, goAdmin, loginAdmin, logoutAdmin } from './pages/admin';
import { evaluatedQuarter, op, login } from './support/api';
import { expect, screen, test } from './support/fixtures';

test.use({ viewport: DESKTOP });

const HEADER = 'nip,nama,jenis_pegawai,golongan,jenis_jabatan,nama_jabatan,kode_unor,nip_atasan';

async function unitOfAdminOpd(): Promise<string> {
  const token = await login('admin.opd');
  const viewer = await op<{ viewer: { administeredOpds: { id: string }[] } }>('Viewer', {}, token);
  const tree = await op<{ opds: { id: string; units: { code: string; children: { code: string }[] }[] }[] }>('OrgTree', {}, token);
  const opd = tree.opds.find((o) => o.id === viewer.viewer.administeredOpds[0]?.id);
  const unit = opd?.units[0]?.children[0] ?? opd?.units[0];
  if (!unit) throw new Error('admin.opd has no unit');
  return unit.code;
}

test('BKPSDM creates a year, moves a period to evaluation and closes it', async ({ page }) => {
  await loginAdmin(page, 'admin.bkpsdm');
  await expect(page.getByRole('heading', { name: 'Administrasi kinerja' })).toBeVisible();
  await screen(page, 'admin-home');
  await goAdmin(page, 'Periode', 'Periode penilaian');
  const periods = await op<{ periods: { year: number }[] }>('Periods', {}, await login('admin.bkpsdm'));
  const year = Math.max(2030, ...periods.periods.map((p) => p.year + 1)); // a year not created yet
  await page.getByLabel('Tahun', { exact: true }).fill(String(year));
  await page.getByLabel('Frekuensi penilaian').selectOption('QUARTERLY');
  await page.getByRole('button', { name: 'Buat periode' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Periode Tahun ${year} dibuat.` })).toBeVisible();
  const table = page.getByTestId('periods');
  const first = table.getByRole('row').filter({ hasText: `${year}` }).nth(1);
  const name = (await first.getByRole('rowheader').textContent())?.replace(/ \(.*$/, '') ?? '';
  await page.getByRole('button', { name: `Mulai penilaian ${name}` }).click();
  await expect(first.getByText('Masa penilaian')).toBeVisible();
  await page.getByRole('button', { name: `Tutup ${name}` }).click();
  await expect(first.getByText('Ditutup')).toBeVisible();
  // creating the same year again is refused with the reason
  await page.getByRole('button', { name: 'Buat periode' }).click();
  await expect(page.getByRole('alert')).toContainText(`Periode ${year} sudah ada`);
  await screen(page, 'admin-periods');
});

test('ADMIN_OPD imports a SIMPEG file: a bad row is reported and nothing written, then the fixed file imports', async ({ page }) => {
  const unit = await unitOfAdminOpd();
  const stamp = String(Date.now() % 900 + 100); // a sequence 100-999 in the NIPs
  const boss = `19800101200501100${stamp.slice(-1)}`.slice(0, 15) + stamp;
  const staff = `19950312202012200${stamp.slice(-1)}`.slice(0, 15) + stamp;
  const bad = [
    HEADER,
    `${boss},"dr. Rina Kusuma, M.Kes.",PNS,IV/a,JPT Pratama,Kepala Seksi Uji,${unit},`,
    `${staff},Dewi Anggraini,PNS,III/a,Pelaksana,Pengadministrasi Umum,${unit},${boss}`,
    `12345,Salah NIP,PNS,III/a,Pelaksana,Pengadministrasi Umum,${unit},`,
  ].join('\n');
  await loginAdmin(page, 'admin.opd');
  await goAdmin(page, 'Impor pegawai', 'Impor pegawai dari SIMPEG');
  const file = page.getByLabel('Berkas CSV SIMPEG');
  await file.setInputFiles({ name: 'simpeg-salah.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.getByRole('button', { name: 'Periksa (uji coba)' }).click();
  const errors = page.getByRole('table', { name: 'Baris bermasalah' });
  await expect(errors.getByRole('row')).toHaveCount(2); // header + the bad line
  await expect(errors.getByRole('cell', { name: '4', exact: true })).toBeVisible();
  await expect(errors).toContainText('INVALID_NIP');
  await expect(page.getByRole('button', { name: 'Impor sekarang' })).toHaveCount(0);
  await screen(page, 'admin-import-errors');
  // nothing was written by the dry run
  const token = await login('admin.opd');
  const search = async () =>
    (await op<{ employees: { totalCount: number } }>('EmployeeDirectory', { first: 5, filter: { search: 'Dewi Anggraini' } }, token)).employees.totalCount;
  const before = await search();

  const good = bad.split('\n').slice(0, 3).join('\n');
  await file.setInputFiles({ name: 'simpeg.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await page.getByRole('button', { name: 'Periksa (uji coba)' }).click();
  await expect(page.getByText('Semua baris valid. Data siap diimpor.')).toBeVisible();
  await expect(page.getByTestId('would-create')).toHaveText('2');
  await page.getByRole('button', { name: 'Impor sekarang' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Impor selesai: 2 ditambahkan' })).toBeVisible();
  await expect(page.getByRole('progressbar', { name: 'Kemajuan impor' })).toHaveAttribute('aria-valuenow', '100');
  await screen(page, 'admin-import-done');
  expect(await search()).toBe(before + 1);

  // the org tree shows the unit with its people, the imported ones among them
  await goAdmin(page, 'Struktur organisasi', 'Struktur organisasi');
  const name = (await op<{ opds: { units: { code: string; name: string; children: { code: string; name: string }[] }[] }[] }>('OrgTree', {}, token)).opds
    .flatMap((o) => o.units.flatMap((u) => [u, ...u.children]))
    .find((u) => u.code === unit)?.name;
  await page.getByRole('button', { name: `Lihat pegawai: ${name}` }).click();
  await expect(page.getByRole('table', { name: `Pegawai ${name}` }).getByRole('row', { name: new RegExp(staff) })).toContainText('Dewi Anggraini');
  await screen(page, 'admin-org-tree');
});

test('accounts: BKPSDM creates an admin account; ADMIN_OPD unlocks, resets and deactivates an employee account', async ({ page }) => {
  const stamp = Date.now().toString(36);
  await loginAdmin(page, 'admin.bkpsdm');
  await goAdmin(page, 'Akun', 'Akun pengguna');
  const create = page.getByRole('region', { name: 'Buat akun administrator' });
  await create.getByLabel('Nama pengguna').fill(`admin.uji-${stamp}`);
  await create.getByLabel('Kata sandi awal').fill('Sandi#Uji2026');
  await create.getByLabel('Peran').selectOption('PENGELOLA_SOSIALISASI');
  await create.getByRole('button', { name: 'Buat akun' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Akun administrator admin.uji-${stamp} dibuat.` })).toBeVisible();
  await logoutAdmin(page);

  // an employee of the OPD locks themselves out
  const token = await login('admin.opd');
  const accounts = await op<{ accounts: { username: string; employee: { name: string } | null }[] }>('Accounts', { first: 40 }, token);
  const target = accounts.accounts.filter((x) => x.employee && /^\d{18}$/.test(x.username)).at(-1)!;
  for (let i = 0; i < 5; i += 1) await op('Login', { input: { username: target.username, password: 'salah-sandi' } });

  await loginAdmin(page, 'admin.opd');
  await goAdmin(page, 'Akun', 'Akun pengguna');
  await expect(page.getByRole('region', { name: 'Buat akun administrator' })).toHaveCount(0);
  await page.getByLabel('Cari nama pengguna atau NIP').fill(target.username);
  await page.getByRole('button', { name: 'Cari', exact: true }).click();
  const row = page.getByRole('row').filter({ hasText: target.username });
  await expect(row.getByText('Terkunci')).toBeVisible();
  await screen(page, 'admin-accounts');
  await row.getByRole('button', { name: `Buka kunci ${target.username}` }).click();
  await expect(page.getByRole('status').filter({ hasText: `Akun ${target.username} dibuka kuncinya.` })).toBeVisible();
  await expect(row.getByText('Terkunci')).toHaveCount(0);
  await row.getByRole('button', { name: `Atur ulang kata sandi ${target.username}` }).click();
  await row.getByLabel(`Kata sandi baru untuk ${target.username}`).fill('pendek');
  await row.getByRole('button', { name: 'Simpan kata sandi' }).click();
  await expect(page.getByRole('alert')).toContainText('minimal');
  await row.getByLabel(`Kata sandi baru untuk ${target.username}`).fill('Tangsel#2026');
  await row.getByRole('button', { name: 'Simpan kata sandi' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Kata sandi ${target.username} diatur ulang.` })).toBeVisible();
  await row.getByRole('button', { name: `Nonaktifkan ${target.username}` }).click();
  await expect(row.getByText('Nonaktif', { exact: true })).toBeVisible();
  const refused = await op<{ login: { userErrors: { code: string }[] } }>('Login', { input: { username: target.username, password: 'Tangsel#2026' } });
  expect(refused.login.userErrors[0]?.code).toBe('ACCOUNT_DISABLED');
  await row.getByRole('button', { name: `Aktifkan ${target.username}` }).click();
  await expect(row.getByText('Aktif', { exact: true })).toBeVisible();
  expect(await login(target.username)).toBeTruthy();
});

test('distribution curve: finalising is refused with the reasons, then BKPSDM overrides with a reason', async ({ page }) => {
  // the latest quarter the demo evaluated: its curve meets the organisational predikat (Baik)
  const quarter = await evaluatedQuarter();
  await loginAdmin(page, 'admin.bkpsdm');
  await goAdmin(page, 'Kurva distribusi', 'Kurva distribusi predikat');
  await page.getByLabel('Periode penilaian').selectOption({ label: quarter.name });
  await page.getByLabel('OPD', { exact: true }).selectOption({ label: 'Dinas Kesehatan' });
  await expect(page.getByTestId('curve-total')).toHaveText(String(quarter.rows));
  const rules = page.getByRole('list', { name: 'Ketentuan kurva' });
  await expect(rules.getByText('Terpenuhi').first()).toBeVisible();
  await expect(rules.getByText('Dilanggar')).toHaveCount(0);
  // BKPSDM revises the OPD's organisational predikat: the same curve now breaks its rules
  await page.getByLabel('Predikat organisasi', { exact: true }).selectOption('SANGAT_KURANG');
  await page.getByRole('button', { name: 'Tetapkan predikat organisasi' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Predikat organisasi ditetapkan: Sangat Kurang.' })).toBeVisible();
  await expect(page.getByTestId('violations')).toContainText('Sangat Kurang');
  await logoutAdmin(page);

  // the OPD's admin tries to finalise: refused, with every broken rule
  await loginAdmin(page, 'admin.opd');
  await goAdmin(page, 'Kurva distribusi', 'Kurva distribusi predikat');
  await page.getByLabel('Periode penilaian').selectOption({ label: quarter.name });
  await expect(page.getByRole('list', { name: 'Ketentuan kurva' }).getByText('Dilanggar').first()).toBeVisible();
  await page.getByRole('button', { name: 'Tetapkan hasil penilaian OPD' }).click();
  const refusal = page.getByRole('alert');
  await expect(refusal).toContainText('Penetapan ditolak:');
  await expect(refusal).toContainText('paling sedikit 60 %');
  await expect(page.getByRole('button', { name: 'Tetapkan dengan pengecualian (BKPSDM)' })).toHaveCount(0);
  await screen(page, 'admin-curve-blocked');
  await logoutAdmin(page);

  // BKPSDM finalises despite the violations, with a reason kept in the record
  await loginAdmin(page, 'admin.bkpsdm');
  await goAdmin(page, 'Kurva distribusi', 'Kurva distribusi predikat');
  await page.getByLabel('Periode penilaian').selectOption({ label: quarter.name });
  await page.getByLabel('OPD', { exact: true }).selectOption({ label: 'Dinas Kesehatan' });
  await page.getByLabel('Alasan pengecualian').fill('Uji coba');
  await page.getByRole('button', { name: 'Tetapkan dengan pengecualian (BKPSDM)' }).click();
  await expect(page.getByRole('alert')).toContainText('10');
  const reason = 'Predikat organisasi ditinjau ulang oleh tim penilai kinerja kota.';
  await page.getByLabel('Alasan pengecualian').fill(reason);
  await page.getByRole('button', { name: 'Tetapkan dengan pengecualian (BKPSDM)' }).click();
  await expect(page.getByText(/Hasil penilaian OPD ditetapkan pada/)).toBeVisible();
  await expect(page.getByTestId('override-reason')).toContainText(reason);
  await screen(page, 'admin-curve-override');
});

test('TPP incentive table with CSV and XLSX downloads; the audit log filtered by who, what and when', async ({ page }) => {
  // a quarter the demo evaluated: one payroll line per FINAL evaluation of the OPD (the API's count)
  const quarter = await evaluatedQuarter();
  const count = quarter.rows;
  await loginAdmin(page, 'admin.opd');
  await goAdmin(page, 'Tabel TPP', 'Tabel insentif TPP');
  await page.getByLabel('Periode penilaian').selectOption({ label: quarter.name });
  const table = page.getByRole('table', { name: 'Baris insentif' });
  await expect(table.getByRole('row')).toHaveCount(count + 1);
  await screen(page, 'admin-incentives');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Unduh CSV' }).click()]);
  expect(csv.suggestedFilename()).toMatch(/\.csv$/);
  const text = await (await import('node:fs/promises')).readFile((await csv.path())!, 'utf8');
  expect(text.split('\n')[0]).toMatch(/nip/i);
  expect(text.trim().split('\n')).toHaveLength(count + 1);
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Unduh XLSX' }).click()]);
  expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
  await logoutAdmin(page);

  await loginAdmin(page, 'admin.bkpsdm');
  await goAdmin(page, 'Log audit', 'Log audit');
  await page.getByLabel('Siapa (nama pengguna/NIP)').fill('admin.opd');
  await page.getByLabel('Tindakan', { exact: true }).fill('login');
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(new Date());
  await page.getByLabel('Sejak tanggal').fill(today);
  await page.getByRole('button', { name: 'Terapkan filter' }).click();
  const entries = page.getByRole('table', { name: 'Entri log audit' });
  await expect(entries.getByRole('row').nth(1)).toContainText('LOGIN');
  // the filtered list replaces the unfiltered one: wait until no other action is listed
  await expect(entries.getByRole('row').locator('code').filter({ hasNotText: /^LOGIN$/ })).toHaveCount(0);
  const actions = await entries.getByRole('row').locator('code').allTextContents();
  expect(new Set(actions)).toEqual(new Set(['LOGIN']));
  await page.getByLabel('Sampai tanggal').fill('2000-01-01');
  await page.getByRole('button', { name: 'Terapkan filter' }).click();
  await expect(page.getByText('Tidak ada entri yang cocok.')).toBeVisible();
  await page.getByRole('button', { name: 'Hapus filter' }).click();
  await expect(entries.getByRole('row').nth(1)).toBeVisible();
  await screen(page, 'admin-audit-log');
});

test("BKPSDM's view of the mentoring model: version, metrics, subgroup gaps, model card; no individual score", async ({ page }) => {
  await loginAdmin(page, 'admin.bkpsdm');
  await goAdmin(page, 'Model pendampingan', 'Model pendampingan');
  await expect(page.getByTestId('active-version')).toHaveText(/^v\d+$/);
  await expect(page.getByRole('table', { name: 'Metrik uji (hold-out)' }).getByRole('row', { name: /ROC-AUC/ })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Kesenjangan subkelompok' }).getByRole('row', { name: /gender/ })).toBeVisible();
  await expect(page.getByTestId('gap-chart').getByRole('img')).toBeVisible();
  await expect(page.getByText('Model card: mentoring-support model')).toBeVisible();
  await expect(page.locator('main')).not.toContainText(/\b\d{18}\b/); // no NIP, so no person
  await screen(page, 'admin-model');
});
