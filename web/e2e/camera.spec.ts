// QR check-in by camera: Chromium's fake camera plays a video of the QR code that the employee's
// phone shows on "Kode hadir" (the very modules of its SVG, drawn into a Y4M file written by the
// test), the session screen's camera reads it, and the attendance is recorded. Chromium on Linux
// has no BarcodeDetector, so this runs the app's jsQR fallback, as a Windows/Linux laptop would.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CHROMIUM, CHROMIUM_ARGS } from '../playwright.config';
import { DESKTOP, loginAdmin } from './pages/admin';
import { loginAs } from './pages/app';
import { login, op, todayJakarta } from './support/api';
import { STATE_FILE } from './support/server';
import { expect, screen, test } from './support/fixtures';

// beside the test server's state (e2e/.state/, ignored by git): one file per work tree
const VIDEO_DIR = join(dirname(STATE_FILE), 'camera');
const VIDEO = join(VIDEO_DIR, 'qr.y4m');
mkdirSync(VIDEO_DIR, { recursive: true });
// the camera opens the file on getUserMedia; until the test writes the QR it is a blank frame
writeY4m(VIDEO, [[false]], 1);

test.use({
  viewport: DESKTOP,
  permissions: ['camera'],
  launchOptions: {
    executablePath: CHROMIUM,
    args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${VIDEO}`],
  },
});

/** The module matrix of the QR code as drawn by "Kode hadir" (`M{x} {y}h1v1h-1z` per dark cell). */
function modulesOf(viewBox: string, path: string): boolean[][] {
  const size = Number(viewBox.split(/\s+/)[2]);
  const grid = Array.from({ length: size }, () => Array<boolean>(size).fill(false));
  for (const [, x, y] of path.matchAll(/M(\d+) (\d+)h1v1h-1z/g)) grid[Number(y)]![Number(x)] = true;
  return grid;
}

/**
 * A 640×480 YUV4MPEG2 (4:2:0) video of `frames` identical frames: the QR code centred on white,
 * with a quiet zone, each module a square of whole pixels. Chromium loops it as the camera.
 */
function writeY4m(path: string, modules: boolean[][], frames: number): void {
  const width = 640;
  const height = 480;
  const size = modules.length;
  const scale = Math.floor(400 / size);
  const left = Math.floor((width - size * scale) / 2);
  const top = Math.floor((height - size * scale) / 2);
  const luma = Buffer.alloc(width * height, 235); // video white
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!modules[y]![x]) continue;
      for (let dy = 0; dy < scale; dy++) luma.fill(16, (top + y * scale + dy) * width + left + x * scale, (top + y * scale + dy) * width + left + (x + 1) * scale); // video black
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128); // no colour
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  writeFileSync(path, Buffer.concat([header, ...Array<Buffer>(frames).fill(frame)]));
}

test('QR check-in by camera: the code on the phone, read by the camera at the door, records the attendance', async ({ page, browser }) => {
  // a session today for the employee's unit, set up through the API
  const manager = await login('sosialisasi');
  const employee = await op<{ viewer: { employee: { name: string; unor: { id: string }; opd: { id: string } } } }>('Viewer', {}, await login('pegawai'));
  const { name, unor, opd } = employee.viewer.employee;
  const stamp = Date.now().toString(36);
  const program = await op<{ createProgram: { program: { id: string } } }>(
    'CreateProgram',
    { input: { name: `Sosialisasi kamera ${stamp}`, goal: 'Hadir dengan kode QR', startsOn: todayJakarta(), endsOn: todayJakarta(), targetOpdIds: [opd.id] } },
    manager,
  );
  const session = await op<{ createSession: { session: { id: string } } }>(
    'CreateSession',
    {
      input: {
        programId: program.createProgram.program.id,
        title: `Kelas kamera ${stamp}`,
        startsAt: `${todayJakarta()}T00:05:00+07:00`,
        endsAt: `${todayJakarta()}T23:55:00+07:00`,
        facilitator: 'Tim BKPSDM',
        capacity: 200,
        place: 'Aula',
      },
    },
    manager,
  );
  const sessionId = session.createSession.session.id;
  const invited = await op<{ inviteUnit: { invited: number } }>('InviteUnit', { input: { sessionId, unitId: unor.id, includeSubunits: true } }, manager);
  expect(invited.inviteUnit.invited).toBeGreaterThan(0);

  // the employee's phone shows "Kode hadir": its QR modules become the camera's video
  const phone = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'id-ID', timezoneId: 'Asia/Jakarta', serviceWorkers: 'block' });
  const mobile = await phone.newPage();
  await loginAs(mobile, 'pegawai');
  await mobile.getByRole('link', { name: 'Kode hadir sosialisasi' }).click();
  const qr = mobile.getByTestId('attendance-qr');
  await expect(qr).toBeVisible();
  const payload = (await qr.getAttribute('data-payload')) ?? '';
  expect(payload).toMatch(/^kinerja-hadir:\d{18}$/);
  const modules = modulesOf((await qr.getAttribute('viewBox')) ?? '', (await qr.locator('path').getAttribute('d')) ?? '');
  await phone.close();
  expect(modules.length).toBeGreaterThan(20);
  writeY4m(VIDEO, modules, 3);

  // the door: the manager opens the session and points the camera at the phone
  await loginAdmin(page, 'sosialisasi');
  await page.goto(`/sosialisasi/sesi/${encodeURIComponent(sessionId)}`);
  await expect(page.getByRole('heading', { name: `Kelas kamera ${stamp}`, level: 1 })).toBeVisible();
  const checkIn = page.getByRole('region', { name: 'Check-in peserta' });
  await checkIn.getByRole('button', { name: 'Pindai dengan kamera' }).click();
  await expect(checkIn.getByLabel('Pindai dengan kamera', { exact: true })).toBeVisible(); // the video
  await expect(checkIn.getByRole('status')).toHaveText(`${name} tercatat hadir.`, { timeout: 20_000 });
  const attendance = page.getByRole('table', { name: 'Daftar hadir' });
  await expect(attendance.getByRole('row', { name: new RegExp(name) }).getByText('Belum hadir')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: /Daftar hadir · 1 dari \d+ peserta hadir/ })).toBeVisible();
  // the same code in front of the camera a while longer records nothing twice
  await page.waitForTimeout(1_500);
  await expect(checkIn.getByRole('status')).toHaveText(`${name} tercatat hadir.`);
  await screen(page, 'sosialisasi-camera-check-in');

  // and the server has it: the session's participant is checked in
  const node = await op<{ node: { attendedCount: number; participants: { edges: { node: { checkedInAt: string | null; employee: { name: string } | null } }[] } } }>(
    'SessionById',
    { id: sessionId, first: 100 },
    manager,
  );
  expect(node.node.attendedCount).toBe(1);
  expect(node.node.participants.edges.find((e) => e.node.employee?.name === name)?.node.checkedInAt).toBeTruthy();
});
