// GraphiQL with the portal's own copies of its code, styles and Monaco workers.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { createRoot } from 'react-dom/client';

const url = new URL('/graphql', window.location.href);
const ws = new URL(url);
ws.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';

const fetcher = createGraphiQLFetcher({ url: url.toString(), subscriptionUrl: ws.toString() });
const root = document.getElementById('graphiql');
if (root) createRoot(root).render(<GraphiQL fetcher={fetcher} defaultEditorToolsVisibility />);
