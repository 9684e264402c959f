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

/** Statuses of the viewer's activities of today with this description (server side). */
export async function activityStatuses(token: string, description: string): Promise<string[]> {
  const data = await op<{ activities: { edges: { node: { description: string; status: string } }[] } }>('Activities', { first: 100, filter: { dateFrom: todayJakarta() } }, token);
  return data.activities.edges.filter((e) => e.node.description === description).map((e) => e.node.status);
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

interface AlertSubject {
  id: string;
  name: string;
  courses: { id: string; title: string; jpHours: number }[];
}

/**
 * The demo `atasan`'s open mentoring alerts about teammates of the `pegawai` (whose own alert is
 * left open for the support offer): one to plan coaching for, and one whose employee has course
 * recommendations (best first) to recommend a course from. Ordered by name, so deterministic.
 */
export async function atasanAlertsToAct(): Promise<{ coached: AlertSubject; trainee: AlertSubject }> {
  const token = await login('atasan');
  const pegawai = await op<{ viewer: { employee: { id: string } } }>('Viewer', {}, await login('pegawai'));
  const alerts = await op<{ mentoringAlerts: { edges: { node: { employee: { id: string; name: string } | null } }[] } }>('MentoringAlerts', { first: 30, status: 'OPEN' }, token);
  const subjects: AlertSubject[] = [];
  for (const { node } of alerts.mentoringAlerts.edges) {
    if (!node.employee || node.employee.id === pegawai.viewer.employee.id) continue;
    const recs = await op<{ trainingRecommendations: { course: { id: string; title: string; jpHours: number } }[] }>('TrainingRecommendations', { employeeId: node.employee.id, limit: 10 }, token);
    subjects.push({ ...node.employee, courses: recs.trainingRecommendations.map((r) => r.course) });
  }
  subjects.sort((a, b) => a.name.localeCompare(b.name));
  const trainee = subjects.find((s) => s.courses.length > 0);
  const coached = subjects.find((s) => s !== trainee);
  if (!trainee || !coached) throw new Error(`the demo atasan needs two open alerts about teammates, one with recommendations: ${JSON.stringify(subjects)}`);
  return { coached, trainee };
}

/** Titles of the courses assigned to an employee (as their supervisor `atasan` sees them). */
export async function assignedCourses(employeeId: string): Promise<string[]> {
  const data = await op<{ trainingAssignments: { edges: { node: { course: { title: string } } }[] } }>('TrainingAssignments', { first: 50, employeeId }, await login('atasan'));
  return data.trainingAssignments.edges.map((e) => e.node.course.title);
}

/**
 * The latest quarter that has ended and whose evaluations the demo finalised in the OPD of
 * `admin.opd` (Dinas Kesehatan), with its payroll lines as the API's incentiveRows counts them.
 */
export async function evaluatedQuarter(): Promise<{ id: string; name: string; opdId: string; rows: number }> {
  const token = await login('admin.opd');
  const viewer = await op<{ viewer: { administeredOpds: { id: string }[] } }>('Viewer', {}, token);
  const opdId = viewer.viewer.administeredOpds[0]?.id;
  if (!opdId) throw new Error('admin.opd administers no OPD');
  const periods = await op<{ periods: { children: { id: string; name: string; endsOn: string }[] }[] }>('Periods', {}, token);
  const today = todayJakarta();
  const ended = periods.periods.flatMap((p) => p.children).filter((c) => c.endsOn < today);
  ended.sort((a, b) => b.endsOn.localeCompare(a.endsOn));
  for (const quarter of ended) {
    const rows = await op<{ incentiveRows: unknown[] }>('IncentiveRows', { periodId: quarter.id, opdId }, token);
    if (rows.incentiveRows.length) return { id: quarter.id, name: quarter.name, opdId, rows: rows.incentiveRows.length };
  }
  throw new Error('the demo finalised no evaluation of an ended quarter in the OPD of admin.opd');
}
