// The home drawn by the document itself, before the app's script has arrived: with a valid
// document cookie the server embeds the home's first answers in index.html (early.ts
// HOME_DATA_ID); this small inline script draws from them the home's essential markup — the
// greeting, the SKP progress bars, the "+ Catat aktivitas" link (a real link: it works before
// any script) and today's activities — with the app's own CSS classes, so the screen looks
// like the app's. The app's client then takes the same answers (early.ts) and React replaces
// this markup with the real screen.
//
// The script is `renderHome` itself, inlined by vite.config.ts (`homeRenderScript`) after the
// root element and allowed by its hash in the page's CSP: it must not use anything outside
// its own body and arguments. Its texts come from the app's message file at build time
// (`homeMessages`); it writes text only through `textContent`, never HTML.
import { LOCALE, NUMBER_OPTIONS, PERCENT_OPTIONS, TIME_ZONE } from '../i18n/format';
import { givenName, greeting, t } from '../i18n/id';
import { activityStatusLabel, activityStatusTone } from '../performance/labels';
import { HOME_DATA_ID, SESSION_KEY } from './early';

/** A message with arguments: `\u0001<i>\u0001` stands for the i-th argument. */
type Template = string;

export interface HomeMessages {
  locale: string;
  timeZone: string;
  numberOptions: Intl.NumberFormatOptions;
  percentOptions: Intl.NumberFormatOptions;
  /** `greeting(name)` for each hour of the day (0-23) in the deployment's time zone. */
  greetings: Template[];
  appShort: string;
  appHome: string;
  logCta: string;
  progress: string;
  noSkp: string;
  behind: string;
  onPace: string;
  atEvaluation: string;
  levelTarget: Template;
  progressLine: Template;
  pace: Template;
  today: string;
  nothingToday: string;
  seeAll: string;
  status: Record<string, string>;
  tone: Record<string, string>;
}

const arg = (i: number) => `\u0001${i}\u0001`;

/** The messages the renderer needs, from the app's message file and labels (at build time). */
export function homeMessages(): HomeMessages {
  return {
    locale: LOCALE,
    timeZone: TIME_ZONE,
    numberOptions: NUMBER_OPTIONS,
    percentOptions: PERCENT_OPTIONS,
    // 05:00 UTC on a fixed day + h hours; the renderer picks by the hour in TIME_ZONE
    greetings: Array.from({ length: 24 }, (_, hour) => {
      const at = new Date(Date.UTC(2026, 0, 1, 12));
      const zoned = Number(new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: 'numeric', hourCycle: 'h23' }).format(at));
      return greeting(arg(0), new Date(at.getTime() + (hour - zoned) * 3_600_000));
    }),
    appShort: t.app.short,
    appHome: t.app.home,
    logCta: t.home.logCta,
    progress: t.home.progress,
    noSkp: t.home.noSkp,
    behind: t.home.behind,
    onPace: t.home.onPace,
    atEvaluation: t.home.atEvaluation,
    levelTarget: t.home.levelTarget(arg(0), arg(1)),
    progressLine: t.home.progressLine(arg(0), arg(1), arg(2), arg(3), arg(4)),
    pace: t.progress.pace(arg(0)),
    today: t.home.today,
    nothingToday: t.home.nothingToday,
    seeAll: t.common.seeAll,
    status: activityStatusLabel,
    tone: activityStatusTone,
  };
}

/**
 * Draw the home into `#root` from the embedded answers, when they are there and belong to the
 * stored session's user (early.ts removes them otherwise). Any failure leaves the root empty:
 * the app draws the home itself.
 */
export function renderHome(dataId: string, sessionKey: string, m: HomeMessages, nameOf: (fullName: string) => string): void {
  try {
    const root = document.getElementById('root');
    const embedded = document.getElementById(dataId);
    if (!root || !embedded || root.firstChild) return;
    interface Indicator {
      id: string;
      description: string;
      targetValue: number;
      unit: string;
      progress: { progress?: number | null; expectedPace?: number | null; behindPace?: boolean; verifiedQuantity: number };
    }
    interface Answers {
      Viewer?: { viewer?: { username: string; employee?: { name: string; jabatanName?: string | null } | null } };
      EmployeeHome?: { mySkp?: { rhks: { indicators: Indicator[] }[] } | null };
      Activities?: { activities?: { edges: { node: { id: string; description: string; quantity: number; unit: string; status: string } }[] } };
    }
    const page = JSON.parse(embedded.textContent ?? '{}') as { answers?: { operationName: string; body: { data?: unknown } }[] };
    const data: Record<string, unknown> = {};
    for (const a of page.answers ?? []) data[a.operationName] = a.body.data;
    const answers = data as Answers;
    const viewer = answers.Viewer?.viewer;
    const session = JSON.parse(localStorage.getItem(sessionKey) ?? '{}') as { username?: string };
    if (!viewer?.employee || viewer.username !== session.username || !answers.EmployeeHome) return;

    const fill = (template: string, ...values: string[]) => values.reduce((text, value, i) => text.split(`\u0001${i}\u0001`).join(value), template);
    const numbers = new Intl.NumberFormat(m.locale, m.numberOptions);
    const percents = new Intl.NumberFormat(m.locale, m.percentOptions);
    const el = (tag: string, className?: string, text?: string, parent?: Element): HTMLElement => {
      const node = document.createElement(tag);
      if (className) node.className = className;
      if (text !== undefined) node.textContent = text;
      parent?.appendChild(node);
      return node;
    };
    const link = (href: string, className: string | undefined, text: string, parent: Element) => {
      const a = el('a', className, text, parent) as HTMLAnchorElement;
      a.href = href;
      return a;
    };
    const section = (title: string, parent: Element) => {
      const card = el('section', 'card', undefined, parent);
      const head = el('div', 'card-head', undefined, card);
      el('h2', undefined, title, head);
      return { card, head };
    };

    const shell = el('div', 'shell');
    const bar = el('header', 'topbar', undefined, shell);
    link('/', 'brand', m.appShort, bar).setAttribute('aria-label', m.appHome);
    const main = el('main', 'main', undefined, shell);
    main.id = 'main';
    const title = el('div', 'page-title', undefined, main);
    const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: m.timeZone, hour: 'numeric', hourCycle: 'h23' }).format(new Date()));
    el('h1', undefined, fill(m.greetings[hour] ?? m.greetings[12] ?? '', nameOf(viewer.employee.name) || viewer.username), title);
    el('p', 'muted', viewer.employee.jabatanName ?? '', title);
    link('/aktivitas/baru', 'btn btn-primary', m.logCta, main);

    const progress = section(m.progress, main);
    const indicators = (answers.EmployeeHome.mySkp?.rhks ?? []).flatMap((r) => r.indicators);
    if (!indicators.length) el('p', 'empty', m.noSkp, progress.card);
    const list = el('ul', 'plain-list', undefined, progress.card);
    for (const indicator of indicators) {
      const p = indicator.progress;
      const item = el('li', 'indicator', undefined, list);
      const head = el('div', 'indicator-head', undefined, item);
      el('span', undefined, indicator.description, head);
      if (p.progress === null || p.progress === undefined) {
        el('span', 'badge badge-info', m.atEvaluation, head);
        el('p', 'muted small', fill(m.levelTarget, numbers.format(indicator.targetValue), indicator.unit), item);
        continue;
      }
      el('span', p.behindPace ? 'badge badge-warn' : 'badge badge-ok', p.behindPace ? m.behind : m.onPace, head);
      const value = Math.max(0, Math.min(1, p.progress));
      const track = el('div', 'progress-track', undefined, el('div', p.behindPace ? 'progress progress-behind' : 'progress', undefined, item));
      const share = percents.format(p.progress);
      track.setAttribute('role', 'progressbar');
      track.setAttribute('aria-label', indicator.description);
      track.setAttribute('aria-valuemin', '0');
      track.setAttribute('aria-valuemax', '100');
      track.setAttribute('aria-valuenow', String(Math.round(value * 100)));
      const pace = p.expectedPace;
      track.setAttribute('aria-valuetext', pace != null ? `${share}, ${fill(m.pace, percents.format(pace))}` : share);
      el('div', 'progress-fill', undefined, track).style.width = `${value * 100}%`; // CSSOM: allowed by the CSP
      if (pace != null) el('div', 'progress-pace', undefined, track).style.left = `${Math.min(1, pace) * 100}%`;
      const line = fill(m.progressLine, numbers.format(p.verifiedQuantity), numbers.format(indicator.targetValue), indicator.unit, share, percents.format(pace ?? 0));
      el('p', 'muted small', line, item);
    }

    const today = section(m.today, main);
    link('/aktivitas', undefined, m.seeAll, today.head);
    const edges = answers.Activities?.activities?.edges ?? [];
    if (edges.length) {
      const rows = el('ul', 'plain-list', undefined, today.card);
      for (const { node } of edges) {
        const row = el('li', 'row', undefined, rows);
        el('span', undefined, `${node.description} · ${numbers.format(node.quantity)} ${node.unit}`, row);
        el('span', `badge badge-${m.tone[node.status] ?? 'neutral'}`, m.status[node.status] ?? node.status, row);
      }
    } else if (answers.Activities) {
      el('p', 'empty', m.nothingToday, today.card);
    }
    root.appendChild(shell);
  } catch {
    // nothing drawn: the app draws the home itself
  }
}

/** The inline script's text for index.html: the function above with its arguments. */
export function homeRenderScript(): string {
  return `(${renderHome.toString()})(${JSON.stringify(HOME_DATA_ID)},${JSON.stringify(SESSION_KEY)},${JSON.stringify(homeMessages())},${givenName.toString()})`;
}
