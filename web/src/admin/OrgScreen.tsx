// The org tree of the OPDs the admin manages (BKPSDM: every OPD), unit by unit, with the people
// placed in a unit (the directory, filtered by unit; NIP and golongan where the admin may read them).
import { useState } from 'react';
import { useQuery } from 'urql';
import { EmployeeDirectoryDocument, OrgTreeDocument, type OrgTreeQuery } from '../gql/graphql';
import { useViewer } from '../app/viewer';
import { Button, Empty, Loading, PageTitle, QueryError, Section } from '../ui/components';
import { a } from './strings';

type Unit = { id: string; code: string; name: string; employeeCount: number };

function People({ unit }: { unit: Unit }) {
  const [first, setFirst] = useState(25);
  const [{ data, error, fetching }] = useQuery({ query: EmployeeDirectoryDocument, variables: { first, filter: { unorId: unit.id } } });
  const edges = data?.employees.edges ?? [];
  return (
    <Section title={a.org.peopleOf(unit.name)} level={3}>
      <QueryError error={error} />
      {!data ? <Loading /> : null}
      {data && edges.length === 0 ? <Empty>{a.org.none}</Empty> : null}
      {edges.length ? (
        <div className="table-wrap">
          <table className="data-table" aria-label={a.org.peopleOf(unit.name)}>
            <thead>
              <tr>
                <th scope="col">{a.org.name}</th>
                <th scope="col">{a.org.nip}</th>
                <th scope="col">{a.org.jabatan}</th>
                <th scope="col">{a.org.golongan}</th>
              </tr>
            </thead>
            <tbody>
              {edges.map(({ node }) => (
                <tr key={node.id}>
                  <td>{node.name}</td>
                  <td>{node.profile?.nip ?? '—'}</td>
                  <td>{node.jabatanName}</td>
                  <td>{node.profile?.golongan ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {data?.employees.pageInfo.hasNextPage ? (
        <Button variant="secondary" busy={fetching} onClick={() => setFirst(first + 25)}>
          {a.org.more}
        </Button>
      ) : null}
    </Section>
  );
}

type Opd = OrgTreeQuery['opds'][number];

function UnitNode({ unit, children, onPick, picked }: { unit: Unit; children?: Unit[]; onPick: (u: Unit) => void; picked: Unit | null }) {
  const label = (
    <>
      <span>
        {unit.name} <span className="muted small">· {a.org.people(unit.employeeCount)}</span>
      </span>
      <button type="button" className="btn btn-quiet btn-small" aria-pressed={picked?.id === unit.id} aria-label={`${a.org.show}: ${unit.name}`} onClick={() => onPick(unit)}>
        {a.org.show}
      </button>
    </>
  );
  return (
    <li>
      <div className="tree-row">{label}</div>
      {children?.length ? (
        <ul>
          {children.map((c) => (
            <UnitNode key={c.id} unit={c} onPick={onPick} picked={picked} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

export function OrgScreen() {
  const viewer = useViewer();
  const [{ data, error }] = useQuery({ query: OrgTreeDocument });
  const [picked, setPicked] = useState<Unit | null>(null);
  const mine = new Set(viewer.administeredOpds.map((o) => o.id));
  const opds: Opd[] = (data?.opds ?? []).filter((o) => viewer.roles.includes('ADMIN_BKPSDM') || mine.has(o.id));
  return (
    <>
      <PageTitle>{a.org.title}</PageTitle>
      <p className="muted">{a.org.intro}</p>
      <QueryError error={error} />
      {!data ? <Loading /> : null}
      <div className="grid-2 org-grid">
        <div className="stack">
          {opds.map((opd) => (
            <Section key={opd.id} title={`${opd.name} (${opd.shortName})`}>
              <ul className="tree">
                {opd.units.map((u) => (
                  <UnitNode key={u.id} unit={u} children={u.children} onPick={setPicked} picked={picked} />
                ))}
              </ul>
            </Section>
          ))}
        </div>
        <div>{picked ? <People key={picked.id} unit={picked} /> : null}</div>
      </div>
    </>
  );
}
