// Downloads of the server's export endpoints (CSV/XLSX): fetched with the session's bearer token
// (a plain link would carry none) and saved under the server's file name.
import { freshAccessToken } from '../app/session';

export async function download(path: string, fallbackName: string): Promise<void> {
  const token = await freshAccessToken();
  const response = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!response.ok) throw new Error(`${response.status}`);
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
