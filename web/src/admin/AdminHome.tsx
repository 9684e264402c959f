// The administrator's start page: one tile per task their role may do.
import { Link } from 'wouter';
import { useViewer } from '../app/viewer';
import { PageTitle } from '../ui/components';
import { a } from './strings';

const TILES: { href: string; key: keyof typeof a.home.tiles; nav: keyof typeof a.nav; bkpsdmOnly?: boolean }[] = [
  { href: '/admin/periode', key: 'periods', nav: 'periods' },
  { href: '/admin/impor', key: 'import', nav: 'import' },
  { href: '/admin/organisasi', key: 'org', nav: 'org' },
  { href: '/admin/akun', key: 'accounts', nav: 'accounts' },
  { href: '/admin/kurva', key: 'curve', nav: 'curve' },
  { href: '/admin/tpp', key: 'incentives', nav: 'incentives' },
  { href: '/admin/plt', key: 'acting', nav: 'acting' },
  { href: '/admin/mutasi', key: 'mutasi', nav: 'mutasi' },
  { href: '/admin/laporan', key: 'reports', nav: 'reports' },
  { href: '/admin/audit', key: 'audit', nav: 'audit', bkpsdmOnly: true },
  { href: '/admin/model', key: 'model', nav: 'model', bkpsdmOnly: true },
];

export function AdminHome() {
  const viewer = useViewer();
  const bkpsdm = viewer.roles.includes('ADMIN_BKPSDM');
  return (
    <>
      <PageTitle>{a.home.title}</PageTitle>
      <p className="muted">
        {a.home.intro}
        {viewer.administeredOpds.length ? ` ${viewer.administeredOpds.map((o) => o.name).join(', ')}.` : ''}
      </p>
      <ul className="tiles">
        {TILES.filter((tile) => bkpsdm || !tile.bkpsdmOnly).map((tile) => (
          <li key={tile.href}>
            <Link href={tile.href}>
              <strong>{a.nav[tile.nav]}</strong>
              <span className="muted small">{a.home.tiles[tile.key]}</span>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
