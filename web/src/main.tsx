import { createRoot } from 'react-dom/client';
import { registerSW } from 'virtual:pwa-register';
import { App } from './app/App';
import { earlyRequestsSettled } from './app/early';
import './ui/app.css';

const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);

// The service worker caches the app shell, so the app opens without a connection. It is
// registered once the page has loaded and the home's first queries have their answers: its
// precache (every chunk of the app) would otherwise share a slow connection with them.
if ('serviceWorker' in navigator && import.meta.env.PROD) {
  const loaded = new Promise<void>((resolve) => {
    if (document.readyState === 'complete') resolve();
    else window.addEventListener('load', () => resolve(), { once: true });
  });
  void Promise.all([loaded, earlyRequestsSettled()]).then(() => registerSW({ immediate: true }));
}
