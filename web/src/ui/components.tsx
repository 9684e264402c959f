// The app's small component set: semantic HTML first (real buttons, labels tied to inputs,
// headings in order, live regions for status), so screens are accessible by construction.
import {
  type ButtonHTMLAttributes,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useId,
} from 'react';
import { Link } from 'wouter';
import { formatPercent } from '../i18n/format';
import { t } from '../i18n/id';

type Variant = 'primary' | 'secondary' | 'danger' | 'quiet';

export function Button({
  variant = 'primary',
  type = 'button',
  busy = false,
  children,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; busy?: boolean }) {
  return (
    <button type={type} className={`btn btn-${variant}`} aria-busy={busy || undefined} disabled={busy || rest.disabled} {...rest}>
      {children}
    </button>
  );
}

export function ButtonLink({ href, children, variant = 'secondary' }: { href: string; children: ReactNode; variant?: Variant }) {
  return (
    <Link href={href} className={`btn btn-${variant}`}>
      {children}
    </Link>
  );
}

interface FieldProps {
  label: string;
  hint?: string | undefined;
  error?: string | null | undefined;
}

function describedBy(hintId: string, errorId: string, hint?: string, error?: string | null): string | undefined {
  const ids = [hint ? hintId : null, error ? errorId : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function FieldShell({ id, label, hint, error, children }: FieldProps & { id: string; children: ReactNode }) {
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function TextField({ label, hint, error, ...rest }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <FieldShell id={id} label={label} hint={hint} error={error}>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(`${id}-hint`, `${id}-error`, hint, error)} {...rest} />
    </FieldShell>
  );
}

export function TextArea({ label, hint, error, ...rest }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  return (
    <FieldShell id={id} label={label} hint={hint} error={error}>
      <textarea id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(`${id}-hint`, `${id}-error`, hint, error)} {...rest} />
    </FieldShell>
  );
}

export function SelectField({
  label,
  hint,
  error,
  options,
  ...rest
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { options: { value: string; label: string }[] }) {
  const id = useId();
  return (
    <FieldShell id={id} label={label} hint={hint} error={error}>
      <select id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(`${id}-hint`, `${id}-error`, hint, error)} {...rest}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

/** A group of radio buttons with a legend (e.g. a 1-5 scale or a rating). */
export function RadioGroup({
  legend,
  name,
  value,
  options,
  onChange,
  hint,
}: {
  legend: string;
  name: string;
  value: string | null;
  options: { value: string; label: string }[];
  onChange: (value: string) => void;
  hint?: string;
}) {
  const id = useId();
  return (
    <fieldset className="radio-group" aria-describedby={hint ? `${id}-hint` : undefined}>
      <legend>{legend}</legend>
      {hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <div className="radio-options">
        {options.map((o) => (
          <label key={o.value} className="radio-option">
            <input type="radio" name={name} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export function Section({ title, children, actions, level = 2 }: { title: string; children: ReactNode; actions?: ReactNode; level?: 2 | 3 }) {
  const id = useId();
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section className="card" aria-labelledby={id}>
      <div className="card-head">
        <Heading id={id}>{title}</Heading>
        {actions}
      </div>
      {children}
    </section>
  );
}

/**
 * Progress against a target with the expected pace marked: a bar the screen reader announces
 * as "36%" with the pace in its text.
 */
export function ProgressBar({
  label,
  value,
  pace,
  behind = false,
  valueText,
}: {
  label: string;
  value: number;
  pace?: number | null;
  behind?: boolean;
  valueText?: string;
}) {
  const clamped = Math.max(0, Math.min(1, value));
  const text = valueText ?? formatPercent(value);
  return (
    <div className={`progress${behind ? ' progress-behind' : ''}`}>
      <div
        className="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(clamped * 100)}
        aria-valuetext={pace != null ? `${text}, ${t.progress.pace(formatPercent(pace))}` : text}
      >
        <div className="progress-fill" style={{ width: `${clamped * 100}%` }} />
        {pace != null ? <div className="progress-pace" style={{ left: `${Math.min(1, pace) * 100}%` }} /> : null}
      </div>
    </div>
  );
}

export function Badge({ tone = 'neutral', children }: { tone?: 'neutral' | 'ok' | 'warn' | 'bad' | 'info'; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** Polite status (saved, synced) or assertive alert (an error). */
export function Notice({ tone = 'info', children }: { tone?: 'info' | 'ok' | 'error' | 'warn'; children: ReactNode }) {
  return (
    <div className={`notice notice-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

export function Loading() {
  return (
    <p className="loading" role="status">
      {t.common.loading}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function QueryError({ error }: { error: { message: string } | undefined }) {
  if (!error) return null;
  return <Notice tone="error">{error.message.includes('Failed to fetch') || error.message.includes('[Network]') ? t.common.offline : t.common.failed}</Notice>;
}

export function PageTitle({ children, back }: { children: ReactNode; back?: string }) {
  return (
    <div className="page-title">
      {back ? (
        <Link href={back} className="back-link">
          {t.common.back}
        </Link>
      ) : null}
      <h1>{children}</h1>
    </div>
  );
}
