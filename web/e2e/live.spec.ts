// Live updates over graphql-transport-ws: what one person does appears on another person's
// open page without a reload.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ActivitiesPage, AlertsPage, ThreadPage, VerifyPage, loginAs } from './pages/app';
import { logActivity, login, op, supervisorWithAlert } from './support/api';
import { REPO, server } from './support/server';
import { expect, screen, test } from './support/fixtures';

test("a supervisor's verification appears on the employee's open page without a reload", async ({ browser }) => {
  const description = `Imunisasi campak ${Date.now().toString(36)}`;
  await logActivity(await login('pegawai'), description);
  const employee = await (await browser.newContext({ baseURL: server().baseURL })).newPage();
  const supervisor = await (await browser.newContext({ baseURL: server().baseURL })).newPage();
  await loginAs(employee, 'pegawai');
  const mine = new ActivitiesPage(employee);
  await mine.open();
  await expect(mine.sent(description)).toContainText('Menunggu verifikasi');
  await loginAs(supervisor, 'atasan');
  const queue = new VerifyPage(supervisor);
  await queue.open();
  await queue.verifyOne(description);
  // no navigation on the employee's page: the notification arrives and the row updates
  await expect(mine.sent(description)).toContainText('Terverifikasi');
  await expect(employee.getByRole('status').filter({ hasText: 'aktivitas diverifikasi' })).toBeVisible();
  await expect(employee.getByTestId('notification-count')).toHaveText(/^\d+$/);
  await screen(employee, 'pegawai-live-verification');
});

test('a feedback message arrives live and the reply reaches the supervisor', async ({ browser }) => {
  const atasanToken = await login('atasan');
  const viewer = await op<{ viewer: { team: { edges: { node: { id: string; name: string } }[] } } }>('MyTeam', { first: 10 }, atasanToken);
  const fitri = viewer.viewer.team.edges.find((e) => e.node.name.startsWith('Fitri'))!.node;
  const opened = await op<{ openFeedbackThread: { thread: { id: string } } }>(
    'OpenFeedbackThread',
    { input: { employeeId: fitri.id, topic: 'Apresiasi cakupan imunisasi', kind: 'APPRECIATION', body: 'Terima kasih atas kerja kerasnya minggu ini.' } },
    atasanToken,
  );
  const threadId = opened.openFeedbackThread.thread.id;
  const employee = await (await browser.newContext({ baseURL: server().baseURL })).newPage();
  const supervisor = await (await browser.newContext({ baseURL: server().baseURL })).newPage();
  await loginAs(employee, 'pegawai');
  await loginAs(supervisor, 'atasan');
  const employeeThread = new ThreadPage(employee);
  const supervisorThread = new ThreadPage(supervisor);
  await employeeThread.open(threadId);
  await supervisorThread.open(threadId);
  await expect(employeeThread.messages()).toHaveCount(1);
  await supervisorThread.reply('Besok kita bahas target Desember, ya.');
  await expect(employeeThread.messages().filter({ hasText: 'Besok kita bahas target Desember' })).toBeVisible();
  await employeeThread.reply('Siap, Dok. Saya siapkan rekapnya.');
  await expect(supervisorThread.messages().filter({ hasText: 'Saya siapkan rekapnya' })).toBeVisible();
  await employee.getByRole('button', { name: 'Saya sudah membaca' }).click();
  await expect(employee.getByText('Sudah dibaca pegawai')).toBeVisible();
  await screen(employee, 'pegawai-feedback-thread');
});

test("an alert raised by a scoring run appears on the supervisor's open page", async ({ page }) => {
  const { supervisorNip, employeeName } = await supervisorWithAlert();
  await loginAs(page, supervisorNip);
  const alerts = new AlertsPage(page);
  await alerts.open();
  // The supervisor dismisses the open alert; the employee is still struggling, so the next
  // scoring run raises a new one.
  const card = alerts.alertFor(employeeName);
  await card.getByRole('button', { name: `Abaikan peringatan ${employeeName}` }).click();
  await card.getByLabel('Alasan mengabaikan').fill('Sedang cuti melahirkan bulan lalu');
  await card.getByRole('button', { name: 'Abaikan dengan alasan ini' }).click();
  await expect(alerts.alertFor(employeeName)).toHaveCount(0);

  const run = spawnSync(join(REPO, '.venv', 'bin', 'portal'), ['ml', 'score-db'], {
    env: { ...process.env, ...server().env },
    cwd: server().dir,
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout).toMatch(/[1-9]\d* new alerts/);
  await expect(alerts.alertFor(employeeName)).toHaveCount(1); // arrived without a reload
  await expect(page.getByRole('status').filter({ hasText: `Tawarkan dukungan kepada ${employeeName}` })).toBeVisible();
  await screen(page, 'atasan-live-alert');
});
