// Where the viewer's notifications also go (e-mail, Web Push to this device) and when they
// may not (quiet hours, WIB). In the portal every notification always shows.
import { useEffect, useState, type FormEvent } from 'react';
import { useClient, useMutation, useQuery } from 'urql';
import { NotificationChannelsDocument, SetNotificationChannelsDocument, type NotificationCategory } from '../gql/graphql';
import { t } from '../i18n/id';
import { Button, Loading, Notice, PageTitle, QueryError, Section, TextField } from '../ui/components';
import { pushSupport, subscribePush, unsubscribePush } from './push';

const s = t.notificationSettings;

interface KindChoice {
  category: NotificationCategory;
  inApp: boolean;
  email: boolean;
  push: boolean;
}

type Channel = 'inApp' | 'email' | 'push';
const CHANNELS: { key: Channel; label: string }[] = [
  { key: 'inApp', label: s.channelInApp },
  { key: 'email', label: s.channelEmail },
  { key: 'push', label: s.channelPush },
];

interface Form {
  kinds: KindChoice[];
  email: string;
  emailEnabled: boolean;
  pushEnabled: boolean;
  quietStart: string;
  quietEnd: string;
}

type Message = { tone: 'ok' | 'error' | 'warn'; text: string; field?: string | null };

export function NotificationSettingsScreen() {
  const client = useClient();
  const [{ data, error }] = useQuery({ query: NotificationChannelsDocument });
  const [saving, save] = useMutation(SetNotificationChannelsDocument);
  const [form, setForm] = useState<Form | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const channels = data?.notificationChannels;

  useEffect(() => {
    if (!channels || form) return;
    setForm({
      kinds: channels.kinds.map(({ category, inApp, email, push }) => ({ category, inApp, email, push })),
      email: channels.email ?? '',
      emailEnabled: channels.emailEnabled,
      pushEnabled: channels.pushEnabled,
      quietStart: channels.quietHoursStart ?? '',
      quietEnd: channels.quietHoursEnd ?? '',
    });
  }, [channels, form]);

  const publicKey = channels?.webPushPublicKey ?? null;
  const support = pushSupport();
  const pushHint = !publicKey ? s.pushOff : support === 'unsupported' ? s.pushUnsupported : support === 'denied' ? s.pushDenied : s.pushHint(channels?.pushSubscriptions ?? 0);

  function change<K extends keyof Form>(key: K, value: Form[K]) {
    setForm((previous) => (previous ? { ...previous, [key]: value } : previous));
    setMessage(null);
  }

  function changeKind(category: NotificationCategory, channel: Channel, on: boolean) {
    setForm((previous) =>
      previous ? { ...previous, kinds: previous.kinds.map((k) => (k.category === category ? { ...k, [channel]: on } : k)) } : previous,
    );
    setMessage(null);
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!form) return;
    let pushEnabled = form.pushEnabled;
    let warning: string | null = null;
    if (pushEnabled && publicKey && support === 'ok') {
      // opting in (or saving on another device): the browser asks for permission the first
      // time, subscribes, and this device is registered; an existing subscription is reused
      const subscribed = await subscribePush(client, publicKey);
      if (!subscribed.ok) {
        // a device that cannot subscribe does not turn push off for the others
        if (!channels?.pushEnabled) pushEnabled = false;
        warning = subscribed.reason === 'denied' ? s.pushDenied : subscribed.reason === 'unsupported' ? s.pushUnsupported : subscribed.message ?? s.pushFailed;
      }
    } else if (!pushEnabled && channels?.pushEnabled) {
      await unsubscribePush(client).catch(() => undefined);
    }
    const result = await save({
      input: {
        email: form.email.trim() || null,
        emailEnabled: form.emailEnabled,
        pushEnabled,
        quietHoursStart: form.quietStart || null,
        quietHoursEnd: form.quietEnd || null,
        kinds: form.kinds,
      },
    });
    const problem = result.data?.setNotificationChannels.userErrors[0];
    if (problem) {
      setMessage({ tone: 'error', text: problem.message, field: problem.path?.join('.') ?? null });
      return;
    }
    if (result.error) {
      setMessage({ tone: 'error', text: t.common.failed });
      return;
    }
    setForm((previous) => (previous ? { ...previous, pushEnabled } : previous));
    setMessage(warning ? { tone: 'warn', text: warning } : { tone: 'ok', text: s.saved });
  }

  const fieldError = (name: string) => (message?.tone === 'error' && message.field === name ? message.text : null);

  return (
    <>
      <PageTitle back="/notifikasi">{s.title}</PageTitle>
      <QueryError error={error} />
      {!form ? <Loading /> : null}
      {form ? (
        <form className="form" onSubmit={(e) => void onSubmit(e)} noValidate>
          <Section title={s.channels}>
            <div className="form">
              <label className="checkbox">
                <input type="checkbox" checked disabled aria-describedby="in-app-hint" />
                <span>{s.inApp}</span>
              </label>
              <p className="field-hint" id="in-app-hint">
                {s.inAppHint}
              </p>
              <label className="checkbox">
                <input type="checkbox" checked={form.emailEnabled} onChange={(e) => change('emailEnabled', e.target.checked)} />
                <span>{s.email}</span>
              </label>
              <TextField
                label={s.emailAddress}
                hint={s.emailHint}
                type="email"
                autoComplete="email"
                inputMode="email"
                value={form.email}
                error={fieldError('email')}
                onChange={(e) => change('email', e.target.value)}
              />
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={form.pushEnabled}
                  disabled={!publicKey || support !== 'ok'}
                  aria-describedby="push-hint"
                  onChange={(e) => change('pushEnabled', e.target.checked)}
                />
                <span>{s.push}</span>
              </label>
              <p className="field-hint" id="push-hint">
                {pushHint}
              </p>
            </div>
          </Section>
          <Section title={s.kinds}>
            <p className="field-hint">{s.kindsHint}</p>
            <div className="form">
              {form.kinds.map((kind) => (
                <fieldset key={kind.category} className="radio-group">
                  <legend>{s.category[kind.category]}</legend>
                  <div className="radio-options">
                    {CHANNELS.map((c) => (
                      <label key={c.key} className="radio-option">
                        <input type="checkbox" checked={kind[c.key]} onChange={(e) => changeKind(kind.category, c.key, e.target.checked)} />
                        <span>{c.label}</span>
                      </label>
                    ))}
                  </div>
                </fieldset>
              ))}
            </div>
          </Section>
          <Section title={s.quiet}>
            <p className="field-hint">{s.quietHint}</p>
            <div className="grid-2">
              <TextField label={s.quietStart} type="time" value={form.quietStart} error={fieldError('quietHoursStart')} onChange={(e) => change('quietStart', e.target.value)} />
              <TextField label={s.quietEnd} type="time" value={form.quietEnd} error={fieldError('quietHoursEnd')} onChange={(e) => change('quietEnd', e.target.value)} />
            </div>
          </Section>
          <Notice>{s.privacy}</Notice>
          {message ? <Notice tone={message.tone}>{message.text}</Notice> : null}
          <div className="button-row">
            <Button type="submit" busy={saving.fetching}>
              {t.common.save}
            </Button>
          </div>
        </form>
      ) : null}
    </>
  );
}
