// Accounts: search, unlock after failed logins, reset a password, deactivate/reactivate; BKPSDM
// also creates administrator accounts. What an admin may touch is decided by the server.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import {
  AccountsDocument,
  CreateAdminAccountDocument,
  OpdsDocument,
  ResetAccountPasswordDocument,
  SetAccountActiveDocument,
  UnlockAccountDocument,
  type AccountsQuery,
  type Role,
} from '../gql/graphql';
import { formatDateTime } from '../i18n/format';
import { useViewer } from '../app/viewer';
import { Badge, Button, Empty, Loading, Notice, PageTitle, QueryError, Section, SelectField, TextField } from '../ui/components';
import { roleLabel } from '../performance/labels';
import { a, acc } from './strings';
import { problemOf } from './userErrors';

type Account = AccountsQuery['accounts'][number];
type Message = { tone: 'ok' | 'error'; text: string } | null;
const ADMIN_ROLES: Role[] = ['ADMIN_OPD', 'ADMIN_BKPSDM', 'PENGELOLA_SOSIALISASI'];

function CreateAdminForm({ onDone }: { onDone: (m: Message) => void }) {
  const [{ data }] = useQuery({ query: OpdsDocument });
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('ADMIN_OPD');
  const [opdId, setOpdId] = useState('');
  const [state, create] = useMutation(CreateAdminAccountDocument);
  const opds = data?.opds ?? [];
  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const result = await create({ input: { username, password, role, opdId: role === 'ADMIN_OPD' ? opdId || opds[0]?.id || null : null } });
    const problem = problemOf(result.error, result.data?.createAdminAccount.userErrors);
    const made = result.data?.createAdminAccount.account;
    onDone(problem || !made ? { tone: 'error', text: problem ?? a.common.failed } : { tone: 'ok', text: acc.done.created(made.username) });
    if (made) {
      setUsername('');
      setPassword('');
    }
  }
  return (
    <Section title={acc.create}>
      <form className="form toolbar" onSubmit={onSubmit} noValidate>
        <TextField label={acc.username} autoComplete="off" value={username} onChange={(e) => setUsername(e.target.value)} />
        <TextField label={acc.password} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        <SelectField label={acc.role} value={role} onChange={(e) => setRole(e.target.value as Role)} options={ADMIN_ROLES.map((r) => ({ value: r, label: roleLabel[r] }))} />
        {role === 'ADMIN_OPD' ? (
          <SelectField label={acc.opd} value={opdId || opds[0]?.id || ''} onChange={(e) => setOpdId(e.target.value)} options={opds.map((o) => ({ value: o.id, label: o.name }))} />
        ) : null}
        <Button type="submit" busy={state.fetching}>
          {acc.submit}
        </Button>
      </form>
    </Section>
  );
}

function AccountRow({ account, onDone }: { account: Account; onDone: (m: Message) => void }) {
  const [resetting, setResetting] = useState(false);
  const [password, setPassword] = useState('');
  const [unlockState, unlock] = useMutation(UnlockAccountDocument);
  const [resetState, reset] = useMutation(ResetAccountPasswordDocument);
  const [activeState, setActive] = useMutation(SetAccountActiveDocument);
  const busy = unlockState.fetching || resetState.fetching || activeState.fetching;
  const u = account.username;

  async function onUnlock() {
    const r = await unlock({ input: { accountId: account.id } });
    const problem = problemOf(r.error, r.data?.unlockAccount.userErrors);
    onDone(problem ? { tone: 'error', text: problem } : { tone: 'ok', text: acc.done.unlocked(u) });
  }
  async function onReset(event: FormEvent) {
    event.preventDefault();
    const r = await reset({ input: { accountId: account.id, newPassword: password } });
    const problem = problemOf(r.error, r.data?.resetAccountPassword.userErrors);
    onDone(problem ? { tone: 'error', text: problem } : { tone: 'ok', text: acc.done.reset(u) });
    if (!problem) {
      setResetting(false);
      setPassword('');
    }
  }
  async function onActive(active: boolean) {
    const r = await setActive({ input: { accountId: account.id, active } });
    const problem = problemOf(r.error, r.data?.setAccountActive.userErrors);
    onDone(problem ? { tone: 'error', text: problem } : { tone: 'ok', text: active ? acc.done.activated(u) : acc.done.deactivated(u) });
  }

  return (
    <tr>
      <th scope="row">{u}</th>
      <td>
        {account.employee ? (
          <>
            {account.employee.name} <span className="muted small">· {account.employee.opd.shortName}</span>
          </>
        ) : null}
        {account.roles.length ? (
          <div className="chips">
            {account.roles.map((r) => (
              <Badge key={`${r.role}-${r.opd?.id ?? ''}`} tone="info">
                {roleLabel[r.role]}
                {r.opd ? ` ${r.opd.shortName}` : ''}
              </Badge>
            ))}
          </div>
        ) : null}
      </td>
      <td>
        <div className="chips">
          {account.active ? <Badge tone="ok">{acc.active}</Badge> : <Badge tone="neutral">{acc.inactive}</Badge>}
          {account.locked ? <Badge tone="bad">{acc.locked}</Badge> : null}
        </div>
        {account.failedAttempts > 0 ? <span className="muted small">{acc.failed(account.failedAttempts)}</span> : null}
        {account.locked ? <p className="muted small">{acc.lockedHint}</p> : null}
      </td>
      <td>{account.lastLoginAt ? formatDateTime(account.lastLoginAt) : acc.never}</td>
      <td>
        <div className="row-actions wrap">
          {account.locked ? (
            <button type="button" className="btn btn-secondary btn-small" disabled={busy} aria-label={acc.unlock(u)} onClick={onUnlock}>
              {acc.unlockShort}
            </button>
          ) : null}
          <button type="button" className="btn btn-secondary btn-small" disabled={busy} aria-expanded={resetting} aria-label={acc.reset(u)} onClick={() => setResetting(!resetting)}>
            {acc.resetShort}
          </button>
          {account.active ? (
            <button type="button" className="btn btn-danger btn-small" disabled={busy} aria-label={acc.deactivate(u)} onClick={() => onActive(false)}>
              {acc.deactivateShort}
            </button>
          ) : (
            <button type="button" className="btn btn-secondary btn-small" disabled={busy} aria-label={acc.activate(u)} onClick={() => onActive(true)}>
              {acc.activateShort}
            </button>
          )}
        </div>
        {resetting ? (
          <form className="form" onSubmit={onReset} noValidate>
            <TextField label={acc.newPassword(u)} hint={acc.newPasswordHint} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
            <Button type="submit" busy={resetState.fetching}>
              {acc.saveReset}
            </Button>
          </form>
        ) : null}
      </td>
    </tr>
  );
}

export default function AccountsScreen() {
  const viewer = useViewer();
  const [draft, setDraft] = useState('');
  const [search, setSearch] = useState('');
  const [message, setMessage] = useState<Message>(null);
  const [{ data, error }] = useQuery({ query: AccountsDocument, variables: { search: search || null, first: 50 } });
  const accounts = data?.accounts ?? [];
  return (
    <>
      <PageTitle>{acc.title}</PageTitle>
      <p className="muted">{acc.intro}</p>
      {viewer.roles.includes('ADMIN_BKPSDM') ? <CreateAdminForm onDone={setMessage} /> : null}
      {message ? <Notice tone={message.tone}>{message.text}</Notice> : null}
      <Section title={acc.list}>
        <form
          className="form toolbar"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            setSearch(draft.trim());
          }}
        >
          <TextField label={acc.search} type="search" value={draft} onChange={(e) => setDraft(e.target.value)} />
          <Button type="submit" variant="secondary">
            {acc.searchButton}
          </Button>
        </form>
        <QueryError error={error} />
        {!data && !error ? <Loading /> : null}
        {data && accounts.length === 0 ? <Empty>{acc.none}</Empty> : null}
        {accounts.length ? (
          <div className="table-wrap">
            <table className="data-table" aria-label={acc.list}>
              <thead>
                <tr>
                  <th scope="col">{acc.username}</th>
                  <th scope="col">{acc.who}</th>
                  <th scope="col">{acc.status}</th>
                  <th scope="col">{acc.lastLogin}</th>
                  <th scope="col">{acc.actions}</th>
                </tr>
              </thead>
              <tbody>
                {accounts.map((account) => (
                  <AccountRow key={account.id} account={account} onDone={setMessage} />
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </Section>
    </>
  );
}
