import './zod-without-eval.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { initialPageLoaded } from './app/pages.tsx';
import './styles/base.css';

// The first render waits for the opened page's module (already loading; see app/pages.tsx), so a
// direct link renders its page at once instead of a fallback React would hold for 300 ms. A
// module that fails to load is left to the page's own lazy loading, which shows the error.
void initialPageLoaded
  .catch(() => undefined)
  .then(() =>
    createRoot(document.getElementById('root')!).render(
      <StrictMode>
        <App />
      </StrictMode>,
    ),
  );
