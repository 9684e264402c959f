// Test set-up through the public API: the named operations of graphql/operations/ (the same
// contract the app uses), e.g. a survey opened by the socialization manager.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, server } from './server';

export const PASSWORD = 'Tangsel#2026';
const OPERATIONS = join(REPO, 'graphql', 'operations');

function findOperation(name: string, dir = OPERATIONS): string | null {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      const found = findOperation(name, path);
      if (found) return found;
    } else if (entry === `${name}.graphql`) return readFileSync(path, 'utf8');
  }
  return null;
}

// The shared fragments (graphql/operations/fragments/), by name.
function sharedFragments(): Map<string, string> {
  const dir = join(OPERATIONS, 'fragments');
  const fragments = new Map<string, string>();
  for (const entry of readdirSync(dir)) {
    const text = readFileSync(join(dir, entry), 'utf8');
    for (const match of text.matchAll(/^fragment\s+(\w+)/gm)) fragments.set(match[1] ?? '', text);
  }
  return fragments;
}

// An operation's text with the shared fragments it spreads (transitively), as the server builds it.
function withFragments(text: string): string {
  const shared = sharedFragments();
  let document = text;
  for (;;) {
    const defined = new Set([...document.matchAll(/^fragment\s+(\w+)/gm)].map((m) => m[1] ?? ''));
    const missing = [...document.matchAll(/\.\.\.\s*([A-Za-z_]\w*)/g)]
      .map((m) => m[1] ?? '')
      .filter((n) => n !== 'on' && !defined.has(n) && shared.has(n));
    if (!missing.length) return document;
    document += `\n${shared.get(missing[0] ?? '') ?? ''}`;
  }
}

export async function op<T = Record<string, any>>(name: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const text = findOperation(name);
  if (!text) throw new Error(`no operation ${name}`);
  const query = withFragments(text);
  const response = await fetch(`${server().baseURL}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables, operationName: name }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors?.length || !body.data) throw new Error(`${name}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

export async function login(username: string): Promise<string> {
  const data = await op<{ login: { accessToken: string | null; userErrors: unknown[] } }>('Login', { input: { username, password: PASSWORD } });
  if (!data.login.accessToken) throw new Error(`login ${username}: ${JSON.stringify(data.login.userErrors)}`);
  return data.login.accessToken;
}

export function todayJakarta(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** Activities of the viewer with this description (server side, any status). */
export async function activitiesDescribed(token: string, description: string): Promise<number> {
  const data = await op<{ activities: { edges: { node: { description: string } }[] } }>('Activities', { first: 100, filter: { dateFrom: todayJakarta() } }, token);
  return data.activities.edges.filter((e) => e.node.description === description).length;
}

/** An employee's activity logged through the API (what the app's queue would send). */
export async function logActivity(token: string, description: string, quantity = 5): Promise<string> {
  const mine = await op<{ mySkp: { rhks: { indicators: { id: string; unit: string }[] }[] } | null }>('MySkp', {}, token);
  const indicator = mine.mySkp?.rhks[0]?.indicators[0];
  const data = await op<{ logActivity: { activity: { id: string } | null; userErrors: unknown[] } }>(
    'LogActivity',
    {
      input: {
        idempotencyKey: `e2e-${Date.now()}-${Math.random().toString(36).slice(2)}`,
        activity: { activityDate: todayJakarta(), description, quantity, unit: indicator?.unit ?? 'kegiatan', durationMinutes: 60, indicatorId: indicator?.id ?? null },
      },
    },
    token,
  );
  if (!data.logActivity.activity) throw new Error(JSON.stringify(data.logActivity.userErrors));
  return data.logActivity.activity.id;
}

/** A supervisor in the demo who has open mentoring alerts, and one employee they are about. */
export async function supervisorWithAlert(): Promise<{ supervisorNip: string; employeeNip: string; employeeName: string }> {
  const admin = await login('admin.bkpsdm');
  const alerts = await op<{ mentoringAlerts: { edges: { node: { employee: { id: string; name: string } | null } }[] } }>('MentoringAlerts', { first: 20, status: 'OPEN' }, admin);
  for (const { node } of alerts.mentoringAlerts.edges) {
    if (!node.employee) continue;
    const employee = await op<{ node: { name: string; profile: { nip: string; supervisor: { id: string } | null } | null } | null }>('EmployeeById', { id: node.employee.id }, admin);
    const supervisorId = employee.node?.profile?.supervisor?.id;
    if (!supervisorId || !employee.node?.profile) continue;
    const supervisor = await op<{ node: { profile: { nip: string } | null } | null }>('EmployeeById', { id: supervisorId }, admin);
    if (supervisor.node?.profile) {
      return { supervisorNip: supervisor.node.profile.nip, employeeNip: employee.node.profile.nip, employeeName: employee.node.name };
    }
  }
  throw new Error('the demo city has no open mentoring alert with a supervisor');
}

/**
 * FINAL evaluations of the demo supervisor's (`atasan`) approved SKPs in an evaluation period:
 * rated as the portal suggests, behaviour as expected. Returns how many are final.
 */
export async function finalEvaluations(periodName: string): Promise<{ periodId: string; opdId: string; count: number }> {
  const token = await login('atasan');
  const periods = await op<{ periods: { children: { id: string; name: string }[] }[] }>('Periods', {}, token);
  const period = periods.periods.flatMap((p) => p.children).find((c) => c.name === periodName);
  if (!period) throw new Error(`no period ${periodName}`);
  const viewer = await op<{ viewer: { employee: { opd: { id: string } } } }>('Viewer', {}, token);
  const skps = await op<{ skps: { edges: { node: { id: string } }[] } }>('SkpsToRate', { first: 50, status: 'APPROVED' }, token);
  let count = 0;
  for (const { node } of skps.skps.edges) {
    const started = await op<{ startEvaluation: { evaluation: { id: string; status: string; suggestedHasil: string | null; behaviours: { value: string }[] } | null } }>(
      'StartEvaluation',
      { input: { skpId: node.id, periodId: period.id } },
      token,
    );
    const evaluation = started.startEvaluation.evaluation;
    if (!evaluation) continue;
    if (evaluation.status !== 'FINAL') {
      await op(
        'UpdateEvaluation',
        {
          input: {
            evaluationId: evaluation.id,
            hasilRating: evaluation.suggestedHasil ?? 'SESUAI_EKSPEKTASI',
            perilakuRating: 'SESUAI_EKSPEKTASI',
            behaviours: evaluation.behaviours.map((b) => ({ value: b.value, rating: 'SESUAI_EKSPEKTASI', note: 'Sesuai ekspektasi sepanjang triwulan.' })),
            feedback: 'Pertahankan kinerja.',
          },
        },
        token,
      );
      const done = await op<{ finaliseEvaluation: { userErrors: unknown[] } }>('FinaliseEvaluation', { input: { evaluationId: evaluation.id } }, token);
      if (done.finaliseEvaluation.userErrors.length) throw new Error(JSON.stringify(done.finaliseEvaluation.userErrors));
    }
    count += 1;
  }
  return { periodId: period.id, opdId: viewer.viewer.employee.opd.id, count };
}
