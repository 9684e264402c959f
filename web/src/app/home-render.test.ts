import { afterEach, describe, expect, it, vi } from 'vitest';
import { todayIso } from '../i18n/format';
import { greeting } from '../i18n/id';
import { HOME_DATA_ID, SESSION_KEY } from './early';
import { homeMessages, homeRenderScript } from './home-render';

/** Just enough of the DOM for the renderer: elements with classes, text, attributes, style. */
class FakeElement {
  children: FakeElement[] = [];
  className = '';
  textContent = '';
  id = '';
  href = '';
  attributes: Record<string, string> = {};
  style: Record<string, string> = {};
  constructor(readonly tagName: string) {}
  get firstChild(): FakeElement | null {
    return this.children[0] ?? null;
  }
  appendChild(child: FakeElement) {
    this.children.push(child);
    return child;
  }
  setAttribute(name: string, value: string) {
    this.attributes[name] = value;
  }
  all(): FakeElement[] {
    return this.children.flatMap((c) => [c, ...c.all()]);
  }
  text(): string {
    return this.textContent + this.children.map((c) => c.text()).join(' ');
  }
}

const today = todayIso();
const indicator = (id: string, progress: number | null, behindPace = false) => ({
  id,
  description: `Indikator ${id}`,
  targetValue: 1200,
  unit: 'dosis',
  progress: { progress, expectedPace: progress === null ? null : 0.5, behindPace, verifiedQuantity: 432 },
});
const answers = (username: string, description = 'Vaksinasi di posyandu') => ({
  answers: [
    { operationName: 'Viewer', variables: {}, body: { data: { viewer: { username, employee: { name: 'dr. Siti Rahma, M.Kes.', jabatanName: 'Vaksinator' } } } } },
    { operationName: 'EmployeeHome', variables: {}, body: { data: { mySkp: { rhks: [{ indicators: [indicator('a', 0.36, true), indicator('b', null)] }] } } } },
    {
      operationName: 'Activities',
      variables: { first: 20, filter: { dateFrom: today, dateTo: today } },
      body: { data: { activities: { edges: [{ node: { id: 'x', description, quantity: 12, unit: 'dosis', status: 'SUBMITTED' } }] } } },
    },
  ],
});

function page(embedded: object | null, username: string | null) {
  const root = new FakeElement('div');
  const data = embedded ? Object.assign(new FakeElement('script'), { textContent: JSON.stringify(embedded) }) : null;
  vi.stubGlobal('document', {
    getElementById: (id: string) => (id === 'root' ? root : id === HOME_DATA_ID ? data : null),
    createElement: (tag: string) => new FakeElement(tag),
  });
  vi.stubGlobal('localStorage', { getItem: (key: string) => (key === SESSION_KEY && username ? JSON.stringify({ username }) : null) });
  new Function(homeRenderScript())();
  return root;
}

describe('the home drawn by the document', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("draws the greeting, one progress bar per counted indicator, the log link and today's work", () => {
    const root = page(answers('pegawai'), 'pegawai');
    const all = root.all();
    expect(all.find((e) => e.tagName === 'h1')?.textContent).toBe(greeting('Siti'));
    const bars = all.filter((e) => e.attributes.role === 'progressbar');
    expect(bars).toHaveLength(1); // the quality indicator has no pace: a badge, not a bar
    expect(bars[0]!.attributes).toMatchObject({ 'aria-label': 'Indikator a', 'aria-valuenow': '36' });
    expect(bars[0]!.attributes['aria-valuetext']).toContain('36%');
    expect(bars[0]!.children[0]!.style.width).toBe('36%');
    const log = all.find((e) => e.tagName === 'a' && e.className === 'btn btn-primary');
    expect(log).toMatchObject({ href: '/aktivitas/baru', textContent: '+ Catat aktivitas' });
    expect(root.text()).toContain('432 dari 1.200 dosis (36%); seharusnya 50% saat ini');
    expect(root.text()).toContain('Dinilai saat evaluasi');
    expect(root.text()).toContain('Vaksinasi di posyandu · 12 dosis');
    expect(root.text()).toContain(homeMessages().status.SUBMITTED!);
  });

  it('writes text, never markup', () => {
    const root = page(answers('pegawai', '<img src=x onerror=alert(1)></script>'), 'pegawai');
    const row = root.all().find((e) => e.className === 'row');
    expect(row!.children[0]!.textContent).toBe('<img src=x onerror=alert(1)></script> · 12 dosis');
    expect(root.all().some((e) => e.tagName === 'img')).toBe(false);
  });

  it("draws nothing without data, for another user's data, or without a stored session", () => {
    expect(page(null, 'pegawai').children).toEqual([]);
    expect(page(answers('pegawai'), 'atasan').children).toEqual([]);
    expect(page(answers('pegawai'), null).children).toEqual([]);
  });

  it('has a greeting for every hour of the day, as the app greets', () => {
    const messages = homeMessages();
    expect(messages.greetings).toHaveLength(24);
    expect(new Set(messages.greetings.map((g) => g.split(',')[0])).size).toBe(4);
  });
});
