import { createRoot } from 'react-dom/client';
import { registerSW } from 'virtual:pwa-register';
import { App } from './app/App';
import './ui/app.css';

const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);

// The service worker caches the app shell, so the app opens without a connection.
if ('serviceWorker' in navigator && import.meta.env.PROD) registerSW({ immediate: true });
