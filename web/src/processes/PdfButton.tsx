// A button that downloads an official PDF (/documents/…) with the session's bearer token and
// says so when the server refuses (e.g. a document the viewer may not read).
import { useState, type ReactNode } from 'react';
import { download } from '../admin/download';
import { t } from '../i18n/id';
import { Button, Notice } from '../ui/components';

export function PdfButton({ path, fallbackName, label, children }: { path: string; fallbackName: string; label?: string; children: ReactNode }) {
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  async function onClick() {
    setBusy(true);
    setFailed(false);
    await download(path, fallbackName)
      .catch(() => setFailed(true))
      .finally(() => setBusy(false));
  }
  return (
    <div className="stack">
      <Button variant="secondary" busy={busy} onClick={() => void onClick()} aria-label={label}>
        {children}
      </Button>
      {failed ? <Notice tone="error">{t.processes.downloadFailed}</Notice> : null}
    </div>
  );
}
