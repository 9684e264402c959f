// Web Push in the app's service worker (imported by the generated worker: vite.config.ts,
// workbox.importScripts). The server sends only generic text: {title, body, url, tag}; a
// mentoring alert says that something needs attention, never the reasons or a score, and this
// worker shows nothing but what it was sent (or a generic line when the payload is unreadable).
/* eslint-env serviceworker */
(function (scope) {
  'use strict';

  var FALLBACK_TITLE = 'Kinerja Tangsel';
  var FALLBACK_BODY = 'Ada pemberitahuan baru. Buka Kinerja Portal untuk melihatnya.';
  // Where a tap on a notification opens the app: the screen of its kind (the details stay
  // behind the login); anything else opens the notification list.
  var SCREENS = [
    ['MENTORING_ALERT', '/tim/peringatan'],
    ['ACTIVITY_', '/aktivitas'],
    ['THREAD_', '/umpan-balik'],
    ['FEEDBACK_', '/umpan-balik'],
    ['TRAINING_', '/pelatihan'],
  ];

  function screenOf(tag) {
    for (var i = 0; i < SCREENS.length; i++) {
      if (tag.indexOf(SCREENS[i][0]) === 0) return SCREENS[i][1];
    }
    return '/notifikasi';
  }

  function text(value, limit) {
    return typeof value === 'string' && value.trim() ? value.trim().slice(0, limit) : null;
  }

  /** The notification to show for a push payload (its JSON text, or null/garbage). */
  function toNotification(raw, origin) {
    var data = null;
    try {
      data = raw ? JSON.parse(raw) : null;
    } catch (e) {
      data = null;
    }
    if (!data || typeof data !== 'object') data = {};
    var tag = text(data.tag, 40) || 'kinerja';
    var path = screenOf(tag);
    return {
      title: text(data.title, 120) || FALLBACK_TITLE,
      options: {
        body: text(data.body, 300) || FALLBACK_BODY,
        tag: tag,
        icon: '/icons/icon-192.png',
        badge: '/icons/icon-192.png',
        lang: 'id',
        data: { url: new URL(path, origin).href },
      },
    };
  }

  /** The app URL a click opens: same origin only, the notification list otherwise. */
  function targetOf(data, origin) {
    try {
      var url = new URL((data && data.url) || '/notifikasi', origin);
      if (url.origin === origin) return url.href;
    } catch (e) {
      /* fall through */
    }
    return new URL('/notifikasi', origin).href;
  }

  scope.portalPush = { toNotification: toNotification, targetOf: targetOf };

  scope.addEventListener('push', function (event) {
    var raw = null;
    try {
      raw = event.data ? event.data.text() : null;
    } catch (e) {
      raw = null;
    }
    var shown = toNotification(raw, scope.location.origin);
    event.waitUntil(scope.registration.showNotification(shown.title, shown.options));
  });

  scope.addEventListener('notificationclick', function (event) {
    event.notification.close();
    var target = targetOf(event.notification.data, scope.location.origin);
    event.waitUntil(
      scope.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(function (windows) {
        for (var i = 0; i < windows.length; i++) {
          var client = windows[i];
          if (new URL(client.url).origin === scope.location.origin && 'focus' in client) {
            return client.focus().then(function (focused) {
              var win = focused || client;
              // navigate() works for windows this worker controls; otherwise open a new one
              return win.navigate
                ? win.navigate(target).catch(function () {
                    return scope.clients.openWindow(target);
                  })
                : scope.clients.openWindow(target);
            });
          }
        }
        return scope.clients.openWindow(target);
      }),
    );
  });
})(self);
