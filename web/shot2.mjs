import { chromium } from 'playwright';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const p = await b.newPage({ viewport: { width: 390, height: 800 } });
await p.goto('http://localhost:8100/');
await p.waitForTimeout(1000);
const inputs = await p.locator('input').all();
await inputs[0].fill(process.argv[2]); await inputs[1].fill('Tangsel#2026');
await p.keyboard.press('Enter');
await p.waitForTimeout(3000);
await p.screenshot({ path: `/tmp/${process.argv[2]}-0.png`, fullPage: true });
for (const [i, path] of process.argv.slice(3).entries()) {
  await p.goto('http://localhost:8100' + path); await p.waitForTimeout(3000);
  await p.screenshot({ path: `/tmp/${process.argv[2]}-${i+1}.png`, fullPage: true });
}
await b.close();
