// Pickers shared by the administration screens: an evaluation period (the quarters or months of
// each year) and an OPD (the admin's own OPDs; every OPD for BKPSDM).
import { useQuery } from 'urql';
import { OpdsDocument, PeriodsDocument } from '../gql/graphql';
import { useViewer } from '../app/viewer';
import { SelectField } from '../ui/components';
import { a } from './strings';

export function usePeriodOptions(): { value: string; label: string }[] {
  const [{ data }] = useQuery({ query: PeriodsDocument, variables: {} });
  return (data?.periods ?? [])
    .filter((p) => p.kind === 'ANNUAL')
    .flatMap((p) => p.children.map((c) => ({ value: c.id, label: c.name, startsOn: c.startsOn })))
    .sort((x, y) => (x.startsOn < y.startsOn ? 1 : -1))
    .map(({ value, label }) => ({ value, label }));
}

export function useOpdOptions(): { value: string; label: string }[] {
  const viewer = useViewer();
  // city-wide roles pick any OPD; an OPD admin their own
  const cityWide = viewer.roles.includes('ADMIN_BKPSDM') || viewer.roles.includes('PENGELOLA_SOSIALISASI');
  const [{ data }] = useQuery({ query: OpdsDocument, pause: !cityWide });
  const opds = cityWide ? (data?.opds ?? []) : viewer.administeredOpds;
  return opds.map((o) => ({ value: o.id, label: o.name }));
}

export function PeriodOpdPicker({
  periodId,
  opdId,
  onPeriod,
  onOpd,
}: {
  periodId: string;
  opdId: string;
  onPeriod: (id: string) => void;
  onOpd: (id: string) => void;
}) {
  const periods = usePeriodOptions();
  const opds = useOpdOptions();
  return (
    <div className="toolbar form">
      <SelectField label={a.common.period} value={periodId} onChange={(e) => onPeriod(e.target.value)} options={[{ value: '', label: '—' }, ...periods]} />
      <SelectField label={a.common.opd} value={opdId} onChange={(e) => onOpd(e.target.value)} options={[{ value: '', label: '—' }, ...opds]} />
    </div>
  );
}
