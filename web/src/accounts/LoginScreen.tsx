// Login with a NIP (employees) or a username; runs before any GraphQL client exists, so it
// posts the named `Login` operation itself (by hash, as the client would).
import { useState, type FormEvent } from 'react';
import { LoginDocument, type LoginMutation } from '../gql/graphql';
import { t } from '../i18n/id';
import { postOperation } from '../app/persisted';
import { saveSession } from '../app/session';
import { Button, Notice, TextField } from '../ui/components';
import { Logo } from '../ui/Logo';

export function LoginScreen() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const response = await postOperation(
        LoginDocument,
        'Login',
        { input: { username: username.trim(), password } },
      );
      const body = (await response.json()) as { data?: LoginMutation | null; errors?: { message: string }[] };
      const payload = body.data?.login;
      if (payload?.accessToken && payload.refreshToken && payload.accessTokenExpiresAt) {
        saveSession({
          accessToken: payload.accessToken,
          refreshToken: payload.refreshToken,
          accessTokenExpiresAt: payload.accessTokenExpiresAt,
          roles: payload.roles,
          username: username.trim(),
        });
        return;
      }
      setError(payload?.userErrors[0]?.message ?? body.errors?.[0]?.message ?? t.login.failed);
    } catch {
      setError(t.common.offline);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="login">
      <div className="login-card">
        <span className="login-logo">
          <Logo size={72} />
        </span>
        <h1>{t.app.name}</h1>
        <p className="login-sub">{t.login.intro}</p>
        <form onSubmit={onSubmit} noValidate>
          <TextField
            label={t.login.username}
            hint={t.login.usernameHint}
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
          />
          <TextField
            label={t.login.password}
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
          {error ? <Notice tone="error">{error}</Notice> : null}
          <Button type="submit" busy={busy} className="btn btn-primary btn-block">
            {t.login.submit}
          </Button>
        </form>
      </div>
    </main>
  );
}
