import '../zod-without-eval.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../styles/base.css';

import { RateApp } from './RateApp.tsx';

// The rater app: its own small bundle (no editor, no studio), also serving sign-in and invites.
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <RateApp />
  </StrictMode>,
);
