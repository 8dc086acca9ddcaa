import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { setInitialTheme } from './theme';
import './styles.css';

// Follow the OS until the settings arrive, so the first paint is already in the right theme.
setInitialTheme();

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
