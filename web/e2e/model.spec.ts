// BKPSDM's monitoring of the mentoring model at desktop size: the last scoring run of the demo
// city (phase times, input drift) and what supervisors did with the alerts, per OPD, as counts
// only; the same numbers the API gives BKPSDM, and nothing of the kind for anyone else.
import { join } from 'node:path';
import { DESKTOP, goAdmin, loginAdmin } from './pages/admin';
import { login, op, todayJakarta } from './support/api';
import { expect, SCREENSHOTS, screen, test } from './support/fixtures';

test.use({ viewport: DESKTOP });

interface Monitoring {
  mentoringScoringRuns: { scored: number; modelVersion: string; drifted: boolean; phases: { name: string; seconds: number }[]; features: { feature: string }[] }[];
  mentoringAlertOutcomes: { opd: { name: string } | null; alerts: number; open: number; acknowledged: number; coached: number; trainingRecommended: number; dismissed: number; resolved: number }[];
}

type Counts = Omit<Monitoring['mentoringAlertOutcomes'][number], 'opd'>;
const total = (m: Monitoring, key: keyof Counts) => m.mentoringAlertOutcomes.reduce((n, r) => n + r[key], 0);

async function profileOf(id: string, token: string) {
  const found = await op<{ node: { profile: { nip: string; supervisor: { id: string } | null } | null } }>('EmployeeById', { id }, token);
  return found.node.profile;
}

/**
 * Two open alerts whose supervisors can log in, away from the demo personas' own journeys (the
 * atasan's team and the pegawai) and from the alerts other journeys pick: each with the
 * supervisor's token.
 */
async function alertsToAnswer(bkpsdm: string): Promise<{ alertId: string; token: string }[]> {
  const personas = await Promise.all(['atasan', 'pegawai'].map(async (u) => (await op<{ viewer: { employee: { id: string; profile: { nip: string } } } }>('Viewer', {}, await login(u))).viewer.employee));
  const open = await op<{ mentoringAlerts: { edges: { node: { id: string; employee: { id: string } | null } }[] } }>('MentoringAlerts', { first: 100, status: 'OPEN' }, bkpsdm);
  const picked: { alertId: string; token: string }[] = [];
  // the oldest first: other journeys (e.g. supervisorWithAlert) take the newest
  for (const { node } of [...open.mentoringAlerts.edges].reverse()) {
    if (picked.length === 2) break;
    if (!node.employee || personas.some((p) => p.id === node.employee!.id)) continue;
    const supervisor = (await profileOf(node.employee.id, bkpsdm))?.supervisor;
    if (!supervisor) continue;
    const nip = (await profileOf(supervisor.id, bkpsdm))?.nip;
    if (!nip || personas.some((p) => p.profile.nip === nip)) continue;
    const token = await login(nip).catch(() => null); // people imported by a journey have no login
    if (token) picked.push({ alertId: node.id, token });
  }
  return picked;
}

test("BKPSDM's model monitoring: the last scoring run with phase times and drift, alert outcomes per OPD", async ({ page }) => {
  const bkpsdm = await login('admin.bkpsdm');
  const before = await op<Monitoring>('MentoringMonitoring', { runs: 1 }, bkpsdm);
  // two supervisors answer: one dismisses an alert with a reason, one only reads another
  const [dismiss, read] = await alertsToAnswer(bkpsdm);
  expect(read, 'two open alerts with supervisors who can log in').toBeTruthy();
  for (const [{ alertId, token }, input] of [
    [dismiss!, { action: 'DISMISS', reason: 'Pegawai sedang cuti panjang; dibahas setelah kembali.' }],
    [read!, { action: 'ACKNOWLEDGE' }],
  ] as const) {
    const done = await op<{ actOnMentoringAlert: { userErrors: unknown[] } }>('ActOnMentoringAlert', { input: { alertId, ...input } }, token);
    expect(done.actOnMentoringAlert.userErrors).toEqual([]);
  }
  const api = await op<Monitoring>('MentoringMonitoring', { runs: 1 }, bkpsdm);
  expect(total(api, 'dismissed')).toBe(total(before, 'dismissed') + 1);
  expect(total(api, 'acknowledged')).toBe(total(before, 'acknowledged') + 1);
  expect(total(api, 'open')).toBe(total(before, 'open') - 2);
  expect(total(api, 'alerts')).toBe(total(before, 'alerts'));
  const [run] = api.mentoringScoringRuns;
  expect(run, 'the demo seed scores the city once').toBeTruthy();
  expect(run!.phases.map((p) => p.name)).toEqual(['db_read', 'validate', 'features', 'predict', 'explain', 'write']);
  expect(api.mentoringAlertOutcomes.reduce((n, r) => n + r.alerts, 0)).toBeGreaterThan(0);

  await loginAdmin(page, 'admin.bkpsdm');
  await goAdmin(page, 'Model pendampingan', 'Model pendampingan');
  const last = page.getByRole('region', { name: 'Penilaian terakhir' });
  await expect(last.getByTestId('run-scored')).toHaveText(String(run!.scored));
  await expect(last.getByText(`dengan model ${run!.modelVersion}`)).toBeVisible();
  await expect(last.getByText(run!.drifted ? 'Bergeser melewati ambang' : 'Stabil', { exact: true })).toBeVisible();
  const phases = last.getByRole('table', { name: 'Waktu per tahap' });
  await expect(phases.getByRole('row')).toHaveCount(1 + 6 + 1); // header, six phases, total
  await expect(phases.getByRole('row', { name: /Membaca basis data/ })).toBeVisible();
  const features = last.getByRole('table', { name: 'Masukan yang paling bergeser' });
  await expect(features.getByRole('row')).toHaveCount(1 + run!.features.length);

  const outcomes = page.getByRole('table', { name: 'Tindak lanjut peringatan per OPD' });
  await expect(outcomes.getByRole('row')).toHaveCount(1 + api.mentoringAlertOutcomes.length);
  for (const row of api.mentoringAlertOutcomes) {
    const cells = outcomes.getByRole('row').filter({ has: page.getByRole('rowheader', { name: row.opd?.name ?? '—', exact: true }) }).getByRole('cell');
    await expect(cells).toHaveText([row.alerts, row.open, row.acknowledged, row.coached, row.trainingRecommended, row.dismissed, row.resolved].map(String));
  }
  await expect(page.getByTestId('outcome-chart').getByRole('img')).toHaveAttribute('aria-label', /Tindak lanjut peringatan seluruh kota: Belum ditanggapi \d+/);
  await expect(page.locator('main')).not.toContainText(/\b\d{18}\b/); // no NIP, so no person
  // the screenshot shows the monitoring part (the model's metrics are admin-model.png)
  await last.evaluate((el) => {
    el.scrollIntoView({ block: 'start' });
    window.scrollBy(0, -72); // below the sticky header
  });
  await screen(page, 'admin-model-monitoring');
  await page.getByRole('region', { name: 'Tindak lanjut peringatan per OPD' }).evaluate((el) => {
    el.scrollIntoView({ block: 'start' });
    window.scrollBy(0, -72);
  });
  await page.screenshot({ path: join(SCREENSHOTS, 'admin-model-outcomes.png') }); // same screen, axe-checked above
  // only the alerts raised in a range of days: none after today, all of them up to today
  const region = page.getByRole('region', { name: 'Tindak lanjut peringatan per OPD' });
  const tomorrow = new Date(Date.parse(todayJakarta()) + 86_400_000).toISOString().slice(0, 10);
  await region.getByLabel('Peringatan sejak').fill(tomorrow);
  await expect(region.getByText('Tidak ada peringatan pada rentang tanggal ini.')).toBeVisible();
  await expect(outcomes).toHaveCount(0);
  await region.getByLabel('Peringatan sejak').fill('');
  await region.getByLabel('Peringatan sampai').fill(todayJakarta());
  await expect(outcomes.getByRole('row')).toHaveCount(1 + api.mentoringAlertOutcomes.length);
});

test('the model monitoring is for BKPSDM only: a supervisor and an OPD admin are refused by the API', async () => {
  for (const username of ['atasan', 'admin.opd']) {
    await expect(op('MentoringMonitoring', { runs: 1 }, await login(username))).rejects.toThrow(/FORBIDDEN|forbidden|izin/i);
  }
});
