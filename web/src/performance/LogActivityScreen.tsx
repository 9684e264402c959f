// Log a day's work in a few taps: the indicator, quantity, duration and note the employee used
// last time are filled in, the date is today (Asia/Jakarta). Every activity goes through the
// offline queue, so it is kept with its idempotency key whether or not the network answers.
import { useEffect, useState, type FormEvent } from 'react';
import { useQuery } from 'urql';
import { MySkpDocument } from '../gql/graphql';
import { todayIso } from '../i18n/format';
import { t } from '../i18n/id';
import { useOffline } from '../offline/OfflineProvider';
import type { QueuedItem } from '../offline/queue';
import { useViewer } from '../app/viewer';
import { Button, ButtonLink, Notice, PageTitle, SelectField, TextArea, TextField } from '../ui/components';

interface IndicatorOption {
  id: string;
  description: string;
  unit: string;
}

interface Defaults {
  indicatorId: string;
  quantity: string;
  unit: string;
  durationMinutes: string;
  description: string;
}

const EMPTY: Defaults = { indicatorId: '', quantity: '', unit: '', durationMinutes: '', description: '' };

function load<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}

export function LogActivityScreen() {
  const viewer = useViewer();
  const owner = viewer.username;
  const defaultsKey = `kinerja.logDefaults.${owner}`;
  const indicatorsKey = `kinerja.indicators.${owner}`;
  const [{ data, error: skpError }] = useQuery({ query: MySkpDocument, variables: {} });
  const [indicators, setIndicators] = useState<IndicatorOption[]>(() => load(indicatorsKey, []));
  const [form, setForm] = useState<Defaults>(() => load(defaultsKey, EMPTY));
  const [date, setDate] = useState(todayIso);
  const [errors, setErrors] = useState<Partial<Record<keyof Defaults | 'date', string>>>({});
  const [result, setResult] = useState<QueuedItem | null>(null);
  const [busy, setBusy] = useState(false);
  const { log } = useOffline();
  // Until the SKP's indicators are known (answered, failed offline, or remembered from an
  // earlier visit) a quick tap would store the activity without its indicator and unit, so
  // it would not count towards the SKP: the form waits for them.
  const ready = indicators.length > 0 || data !== undefined || skpError !== undefined;

  useEffect(() => {
    // The SKP's indicators, remembered so the form still works when the app opens offline.
    if (!data?.mySkp || data.mySkp.status !== 'APPROVED') return;
    const options = data.mySkp.rhks.flatMap((r) => r.indicators.map((i) => ({ id: i.id, description: i.description, unit: i.unit })));
    setIndicators(options);
    localStorage.setItem(indicatorsKey, JSON.stringify(options));
    setForm((f) => (f.indicatorId || !options[0] ? f : { ...f, indicatorId: options[0].id, unit: f.unit || options[0].unit }));
  }, [data, indicatorsKey]);

  function set<K extends keyof Defaults>(key: K, value: string) {
    setForm((f) => {
      const next = { ...f, [key]: value };
      if (key === 'indicatorId') next.unit = indicators.find((i) => i.id === value)?.unit ?? f.unit;
      return next;
    });
  }

  function validate(): boolean {
    const found: typeof errors = {};
    if (form.description.trim().length < 3) found.description = t.log.errors.description;
    const quantity = Number(form.quantity || '0');
    if (!Number.isFinite(quantity) || quantity < 0) found.quantity = t.log.errors.quantity;
    const minutes = form.durationMinutes ? Number(form.durationMinutes) : 0;
    if (!Number.isInteger(minutes) || minutes < 0 || minutes > 24 * 60) found.durationMinutes = t.log.errors.duration;
    if (!date || date > todayIso()) found.date = t.log.errors.date;
    setErrors(found);
    return Object.keys(found).length === 0;
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!validate()) return;
    setBusy(true);
    localStorage.setItem(defaultsKey, JSON.stringify(form));
    const item = await log({
      activityDate: date,
      description: form.description.trim(),
      quantity: Number(form.quantity || '0'),
      unit: form.unit.trim(),
      durationMinutes: form.durationMinutes ? Number(form.durationMinutes) : null,
      indicatorId: form.indicatorId || null,
    });
    setResult(item);
    setBusy(false);
  }

  return (
    <>
      <PageTitle back="/aktivitas">{t.log.title}</PageTitle>
      <form className="card form" onSubmit={onSubmit} noValidate>
        <SelectField
          label={t.log.indicator}
          value={form.indicatorId}
          onChange={(e) => set('indicatorId', e.target.value)}
          options={[...indicators.map((i) => ({ value: i.id, label: i.description })), { value: '', label: t.log.noIndicator }]}
        />
        <div className="grid-2">
          <TextField label={t.log.quantity} type="number" inputMode="decimal" min={0} step="any" value={form.quantity} onChange={(e) => set('quantity', e.target.value)} error={errors.quantity} />
          <TextField label={t.log.unit} value={form.unit} onChange={(e) => set('unit', e.target.value)} />
        </div>
        <div className="grid-2">
          <TextField label={t.log.duration} type="number" inputMode="numeric" min={0} step={5} value={form.durationMinutes} onChange={(e) => set('durationMinutes', e.target.value)} error={errors.durationMinutes} />
          <TextField label={t.log.date} type="date" max={todayIso()} value={date} onChange={(e) => setDate(e.target.value)} error={errors.date} />
        </div>
        <TextArea label={t.log.description} hint={t.log.descriptionHint} rows={3} value={form.description} onChange={(e) => set('description', e.target.value)} error={errors.description} />
        <Button type="submit" busy={busy || !ready}>
          {t.log.submit}
        </Button>
      </form>
      {result ? <LogResult item={result} /> : null}
    </>
  );
}

function LogResult({ item }: { item: QueuedItem }) {
  if (item.state === 'stored') {
    return (
      <Notice tone="ok">
        {t.log.stored} <ButtonLink href="/aktivitas">{t.log.seeList}</ButtonLink>
      </Notice>
    );
  }
  if (item.state === 'pending') return <Notice tone="warn">{t.log.queued}</Notice>;
  if (item.state === 'conflict') return <Notice tone="warn">{t.offline.conflict}</Notice>;
  return <Notice tone="error">{t.log.rejected(item.message ?? '')}</Notice>;
}
